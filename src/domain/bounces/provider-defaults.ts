// Some senders of notices never quote an SMTP reply: the notice itself is the whole diagnosis, often translated
// into the reader's language. For those the sender's signature decides the reason, when nothing else did.
import type { BounceReason } from './reasons.js';
import { ruleProbe } from './diagnostic-patterns.js';

export interface ProviderDefault {
  provider: string;
  /** Matched against the notice's human-readable text. */
  signature: RegExp;
  /** What the notice must also hold for the reason to be the provider's standard one. */
  standardNotice?: (text: string) => boolean;
  reason: BounceReason;
}

/** Lines that open a bulleted list item ("* You may need to join the group ...", "- ..." in 2012), in any language. */
const LIST_ITEM = /^[ \t]*(?:[*•]|-[ \t])/gm;

/** Google Groups' refusal in its own (English) words, which say all its list says. */
const GROUP_REFUSAL = /\bthe group you tried to contact\b/i;

export const PROVIDER_DEFAULTS: readonly ProviderDefault[] = [
  // "the group you tried to contact may not exist, or you may not have permission to post": a refusal of the sender.
  // Google Groups writes the notice in the poster's language, so the signature is what every edition shares: the
  // help link (groups.google.com), the "Google Groups" signature line, or the group's own address at
  // googlegroups.com as the failed recipient (the X-Failed-Recipients header is part of the text matched). That
  // notice lists the four ways a post fails (a misspelt group name, a removed group, not a member, a group closed to
  // posting), and the list is what its editions share too; a notice from the group without it says something else,
  // which its own words (or nothing) tell. (The reference library reads Google Groups notices the same way.)
  {
    provider: 'Google Groups',
    // [ \t], not \s: with the m flag \s would run on across line breaks from every line start (quadratic in blank lines)
    // (a Google Workspace domain's groups link the domain's own help center instead, Groups' topic 25838, or before
    // 2013 its "page=groups.cs"); a notice pasted without any of them is still known by its English sentence
    signature: new RegExp(
      String.raw`groups\.google\.com|^[ \t]*google groups[ \t]*$|@googlegroups\.com\b|support\.google\.com\/a\/[a-z0-9.-]{1,253}\/bin\/topic\.py\S{0,20}\btopic=25838\b|google\.com\/support\/a\/[a-z0-9.-]{1,253}\/bin\/static\.py\S{0,40}\bpage=groups\.cs\b|${GROUP_REFUSAL.source}`,
      'im',
    ),
    standardNotice: (text) => (text.match(LIST_ITEM)?.length ?? 0) === 4 || GROUP_REFUSAL.test(text),
    reason: 'rejected',
  },
];

export function providerDefault(text: string): BounceReason | null {
  const probe = ruleProbe();
  const hit = PROVIDER_DEFAULTS.find(
    (p) => !probe?.skip(`provider:${p.provider}`) && p.signature.test(text) && (p.standardNotice?.(text) ?? true),
  );
  if (hit) probe?.decided(`provider:${hit.provider}`);
  return hit?.reason ?? null;
}
