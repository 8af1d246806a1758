// Some senders of notices never quote an SMTP reply: the notice itself is the whole diagnosis, often translated
// into the reader's language. For those the sender's signature decides the reason, when nothing else did.
import type { BounceReason } from './reasons.js';

export interface ProviderDefault {
  provider: string;
  /** Matched against the notice's human-readable text. */
  signature: RegExp;
  reason: BounceReason;
}

export const PROVIDER_DEFAULTS: readonly ProviderDefault[] = [
  // "the group you tried to contact may not exist, or you may not have permission to post": a refusal of the sender
  { provider: 'Google Groups', signature: /groups\.google\.com|^\s*google groups\s*$/im, reason: 'rejected' },
];

export function providerDefault(text: string): BounceReason | null {
  return PROVIDER_DEFAULTS.find((p) => p.signature.test(text))?.reason ?? null;
}
