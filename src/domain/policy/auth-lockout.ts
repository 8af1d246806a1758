import { smtpReplies, type SmtpReply } from '../smtp-reply.js';

// AUTH lockout: failed attempts are counted per client address and per username tried (known or not) over a window.
// Pure decisions only; the counters live in PostgreSQL (src/db/auth-failures-repo.ts) so every ingress instance
// counts into the same rows.
//
// - Per address: past `ipLimit` failures in `window`, AUTH from that address is refused for `lockout` (421, the
//   connection is closed) without looking at the credentials, so even the right password does not get in.
// - Per username: past `userLimit` failures in `window` (from any number of addresses), AUTH for that name is refused
//   for `lockout` (454, temporary) from every address that is NOT on the account's acceptance list. An account only
//   ever sends from its acceptance list, so its owner keeps authenticating while a distributed guesser is stopped; an
//   unknown username has no list and is refused everywhere, which looks exactly like a known one seen from outside.

export interface AuthLockoutSettings {
  /** Failed attempts from one address within `windowMs` that lock the address. */
  ipLimit: number;
  /** Failed attempts for one username within `windowMs` that lock the username outside its acceptance list. */
  userLimit: number;
  windowMs: number;
  /** How long a lock lasts (or until the admin API clears it). */
  lockoutMs: number;
}

export type AuthKeyKind = 'ip' | 'user';

/** Usernames are bounded before they become keys: the key must not grow with hostile input. */
const MAX_USERNAME_KEY = 256;

export function authFailureKey(kind: AuthKeyKind, value: string): string {
  return `${kind}:${kind === 'user' ? value.slice(0, MAX_USERNAME_KEY) : value}`;
}

export function kindOfKey(key: string): AuthKeyKind | undefined {
  if (key.startsWith('ip:')) return 'ip';
  if (key.startsWith('user:')) return 'user';
  return undefined;
}

export function limitFor(kind: AuthKeyKind, s: AuthLockoutSettings): number {
  return kind === 'ip' ? s.ipLimit : s.userLimit;
}

export type AuthGate = { open: true } | { open: false; lock: AuthKeyKind; reply: SmtpReply };

/**
 * Whether an AUTH attempt may be verified at all. `ipLocked`/`userLocked`: a lock is in force for the client's address
 * or the username; `onAcceptanceList`: the client address is on the acceptance list of the account owning the username
 * (false for an unknown username).
 */
export function decideAuthGate(f: { ipLocked: boolean; userLocked: boolean; onAcceptanceList: boolean }): AuthGate {
  if (f.ipLocked) return { open: false, lock: 'ip', reply: smtpReplies.authAddressLocked };
  if (f.userLocked && !f.onAcceptanceList) return { open: false, lock: 'user', reply: smtpReplies.authUsernameLocked };
  return { open: true };
}
