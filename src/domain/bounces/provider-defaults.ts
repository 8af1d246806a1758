// Some senders of notices never quote an SMTP reply: the notice itself is the whole diagnosis, often translated
// into the reader's language. For those the sender's signature decides the reason, when nothing else did.
import type { BounceReason } from './reasons.js';
import { ruleProbe } from './diagnostic-patterns.js';

export interface ProviderDefault {
  provider: string;
  /** Matched against the notice's human-readable text. */
  signature: RegExp;
  reason: BounceReason;
}

export const PROVIDER_DEFAULTS: readonly ProviderDefault[] = [
  // "the group you tried to contact may not exist, or you may not have permission to post": a refusal of the sender.
  // Google Groups writes the notice in the poster's language, so the signature is what every edition shares: the
  // help link (groups.google.com), the "Google Groups" signature line, or the group's own address at
  // googlegroups.com as the failed recipient (the X-Failed-Recipients header is part of the text matched).
  {
    provider: 'Google Groups',
    // [ \t], not \s: with the m flag \s would run on across line breaks from every line start (quadratic in blank lines)
    signature: /groups\.google\.com|^[ \t]*google groups[ \t]*$|@googlegroups\.com\b/im,
    reason: 'rejected',
  },
];

export function providerDefault(text: string): BounceReason | null {
  const probe = ruleProbe();
  const hit = PROVIDER_DEFAULTS.find((p) => !probe?.skip(`provider:${p.provider}`) && p.signature.test(text));
  if (hit) probe?.decided(`provider:${hit.provider}`);
  return hit?.reason ?? null;
}
