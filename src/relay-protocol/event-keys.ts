import { normalizeAddress } from '../domain/mime/address.js';
// Keys that make the same relay report idempotent whichever path brings it (poll, direct check, later push):
// a recipient has one final outcome per relay; each deferral is its own feed entry (its seq, see feed.ts).
export const finalEventKey = (relayId: string, messageId: string, recipient: string): string =>
  `${relayId}:${messageId}:${normalizeAddress(recipient)}:final`;

export const feedEventKey = (relayId: string, seq: number): string => `${relayId}:feed:${seq}`;
