// The notices of the fml mailing-list manager (fml 4.0, www.fml.org; its X-MLServer header names it). fml does not
// return a DSN when it refuses to distribute a post: it mails the poster (or the list's admin) a notice whose
// subject or first lines name the cause in fixed English phrases of its own message catalogue. A loop it detects
// (a Message-ID already seen, a post coming back to the list) is a fault of the mail system, a post from a
// non-member or a refused command is a refusal of the sender, and a "Security Alert" is fml's access control.
import type { BounceReason } from './reasons.js';

const NOTICE_REASONS: ReadonlyArray<[BounceReason, RegExp]> = [
  [
    'systemerror',
    /\bloop (?:alert|back warning)\b|duplicated message-id|unix from loop|fml system error|detected a loop condition/i,
  ],
  ['securityerror', /\bsecurity alert\b/i],
  // its envelope filter and its size and traffic limits (fml4's libenvf.pl, libmti.pl, kern/fml.pl): a post judged a
  // virus ("Your mail is rejected for 'melissa family computer virus'"), refused by the list's content rules ("Your
  // mail is rejected for 'null mail body'", "... 'one line mail body'"), too big ("ATTENTION! Your mail is too big, so
  // not processed!!!", "REJECT TOO BIG MAIL", "In-coming mail body size > 1M"), or a sender over the traffic limit
  // ("FML Mail Traffic Monitor System: I detect a burst traffic")
  ['virusdetected', /\bcomputer virus\b|\bmay be a virus\b/i],
  ['mesgtoobig', /\bmail is too big\b|\breject too big mail\b|\bmail body size (?:>|exceeds)/i],
  ['policyviolation', /\bmail is rejected for '/i],
  ['speeding', /\bmail traffic monitor\b|\bburst traffic\b/i],
  [
    'rejected',
    /\bnot (?:a )?member\b|\bare not member|members? only|reject(?:ed)? (?:mail|command)|ignored req(?:uest)?:|spam mail from a spammer|\breject (?:spammers\b|since\b)/i,
  ],
];

/**
 * The reason an fml notice states in its text or, when the text names none of its known causes, in its subject (a
 * list's notices can share a subject, "... (neko ML)", while the text names the post's own cause); null when neither
 * does.
 */
export function mailingListNoticeReason(subject: string, text: string): BounceReason | null {
  const stated = (s: string) => NOTICE_REASONS.find(([, re]) => re.test(s))?.[0] ?? null;
  return stated(text.slice(0, 4096)) ?? stated(subject);
}
