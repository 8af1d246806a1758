// A local delivery agent's own words about the mailbox, quoted in a notice after the agent's name ("maildrop: maildir
// over quota.", "vdelivermail: Sorry, no mailbox here by that name."). Postfix's local(8) and pipe(8) quote them after
// "Command output:", Sendmail in its transcript, qmail as the whole failure. Each agent states only a few outcomes,
// and these say what happened to the mailbox, where the agent's exit status alone says only that the program failed.
// Messages as the agents' sources write them (collected, with file names, in Sisimai::MDA): Dovecot's LDA and quota
// plugin, BSD mail.local, procmail (mailfold.c), maildrop, vpopmail's vdelivermail and vmailmgr's vdeliver.
import type { BounceReason } from './reasons.js';

interface AgentMessages {
  /** The agent's name as it prefixes its messages ("maildrop:"), or Dovecot's rejection sentence. */
  agent: RegExp;
  messages: readonly (readonly [RegExp, BounceReason])[];
}

const AGENTS: readonly AgentMessages[] = [
  {
    agent: /\bYour message to \S{1,300} was automatically rejected:/i,
    messages: [
      [/\bmailbox doesn't exist\b/i, 'userunknown'],
      [/\bquota exceeded\b|\bnot enough disk space\b/i, 'mailboxfull'],
    ],
  },
  {
    agent: /\bmail\.local: /i,
    messages: [
      [/(?:^|: )(?:unknown user:|user unknown\b|invalid mailbox path\b|user missing home directory\b)/i, 'userunknown'],
      [/\bdisc quota exceeded\b|\bmailbox full or quota exceeded\b/i, 'mailboxfull'],
      [/\btemporary file write error\b/i, 'systemerror'],
    ],
  },
  {
    agent: /\bprocmail: /i,
    messages: [
      [/\bquota exceeded while writing\b/i, 'mailboxfull'],
      [/\bno space left to finish writing\b/i, 'systemfull'],
    ],
  },
  {
    agent: /\bmaildrop: /i,
    messages: [
      [/\binvalid user specified\.|\bcannot find system user\b/i, 'userunknown'],
      [/\bmaildir over quota\./i, 'mailboxfull'],
    ],
  },
  {
    agent: /\bvdelivermail: /i,
    messages: [
      [/\bsorry, no mailbox here by that name\./i, 'userunknown'],
      [/\b(?:domain|user) is over quota\b/i, 'mailboxfull'],
    ],
  },
  {
    agent: /\bvdeliver: /i,
    messages: [
      [
        /\binvalid or unknown (?:base user or domain|virtual user)\b|\buser name does not refer to a virtual user\b/i,
        'userunknown',
      ],
      [/\bdelivery failed due to system quota violation\b/i, 'mailboxfull'],
    ],
  },
];

/** Longest stretch read after an agent's name: its message is one line, folded at most once or twice. */
const AFTER_AGENT = 400;

/**
 * The reason a local delivery agent's own message states, or null when the text quotes no agent or a message it
 * does not define ("procmail: Couldn't create ...: No such user" is the agent's failure, not the address's).
 */
export function reasonForDeliveryAgentMessage(text: string): BounceReason | null {
  for (const { agent, messages } of AGENTS) {
    const m = agent.exec(text);
    if (!m) continue;
    const said = text.slice(m.index + m[0].length, m.index + m[0].length + AFTER_AGENT);
    for (const [message, reason] of messages) if (message.test(said)) return reason;
  }
  return null;
}
