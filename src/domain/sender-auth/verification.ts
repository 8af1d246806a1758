import type { RecordCheck, RecordStatus } from './dns-records.js';

// What one DNS check of a sender domain decides: which DKIM key signs (rotation), whether the domain becomes
// verified, starts failing or recovers, and whether its return path may be used. Pure; times are passed in.

export type SendingPolicy = 'verified' | 'listed';
export type VerifiedBy = 'dns' | 'manual';

export interface KeyState {
  selector: string;
  createdAtMs: number;
  /** When DNS first showed this key's record; a key signs only once published. */
  publishedAtMs: number | null;
  /** Set when a newer key took over: the record stays expected (and published) until then. */
  retireAfterMs: number | null;
}

export interface KeyPlan {
  /** The selector to sign with: the newest key DNS has shown, not yet retired. */
  signing?: string;
  /** Keys whose record DNS shows for the first time now. */
  published: string[];
  /** Older keys superseded by the signing key: kept published until the given time (DKIM_ROTATION_OVERLAP). */
  retire: Array<{ selector: string; afterMs: number }>;
  /** Keys past their overlap: no longer expected in DNS, deleted. */
  drop: string[];
}

/**
 * Rotation: a new key is created unpublished; once its record is seen it becomes the signing key and every older
 * published key gets `retireAfter = now + overlap` (mail signed with it a moment ago must still verify at the
 * receiver), after which it is dropped. `dkimStatus` is this check's status of each selector's record.
 */
export function planKeys(
  keys: readonly KeyState[],
  dkimStatus: ReadonlyMap<string, RecordStatus>,
  nowMs: number,
  overlapMs: number,
): KeyPlan {
  const published = keys.filter((k) => k.publishedAtMs === null && dkimStatus.get(k.selector) === 'ok');
  const isPublished = (k: KeyState): boolean => k.publishedAtMs !== null || published.includes(k);
  const live = keys.filter((k) => k.retireAfterMs === null || k.retireAfterMs > nowMs);
  const signing = [...live]
    .filter(isPublished)
    .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.selector < b.selector ? 1 : -1))[0];
  const retire = signing
    ? keys
        .filter(
          (k) => k !== signing && isPublished(k) && k.retireAfterMs === null && k.createdAtMs <= signing.createdAtMs,
        )
        .map((k) => ({ selector: k.selector, afterMs: nowMs + overlapMs }))
    : [];
  const drop = keys.filter((k) => k !== signing && k.retireAfterMs !== null && k.retireAfterMs <= nowMs);
  return {
    ...(signing ? { signing: signing.selector } : {}),
    published: published.map((k) => k.selector),
    retire,
    drop: drop.map((k) => k.selector),
  };
}

export type DomainTransition = 'verified' | 'started-failing' | 'recovered' | 'unchanged';

export interface DomainDecision {
  transition: DomainTransition;
  /** Ownership and the signing (or, before any is published, the newest) DKIM record are ok. */
  passes: boolean;
  returnPathOk: boolean;
  /** What broke, for the event, the alert and the API: "dkim rs1._domainkey.example.com is wrong". */
  problems: string[];
}

/**
 * The outcome of one check. A domain becomes verified (by DNS) when ownership and DKIM check out. A DNS-verified
 * domain whose ownership or DKIM record is now missing or wrong starts failing (an event and an alert); it keeps
 * sending meanwhile, as a DNS slip must not stop a customer's mail at once. `unknown` answers (DNS did not answer)
 * change nothing, and the return path keeps its last state through them.
 */
export function decideDomain(
  d: { verifiedBy: VerifiedBy | null; failing: boolean; returnPathOk: boolean; signingSelector?: string },
  checks: readonly RecordCheck[],
): DomainDecision {
  const ownership = checks.find((c) => c.purpose === 'ownership');
  const dkims = checks.filter((c) => c.purpose === 'dkim');
  const dkim =
    (d.signingSelector !== undefined ? dkims.find((c) => c.selector === d.signingSelector) : undefined) ??
    dkims.find((c) => c.status === 'ok') ??
    dkims[dkims.length - 1];
  const rp = checks.find((c) => c.purpose === 'return-path');
  const relevant = [ownership, dkim].filter((c): c is RecordCheck => c !== undefined);
  const passes = relevant.length === 2 && relevant.every((c) => c.status === 'ok');
  const broken = relevant.filter((c) => c.status === 'missing' || c.status === 'wrong');
  const problems = [
    ...(relevant.length < 2 ? ['no DKIM key'] : []),
    ...broken.map((c) => `${c.purpose} record ${c.host} is ${c.status}${c.found ? ` (found ${c.found})` : ''}`),
  ];
  const returnPathOk = rp?.status === 'unknown' ? d.returnPathOk : rp?.status === 'ok';
  let transition: DomainTransition = 'unchanged';
  if (d.verifiedBy === null && passes) transition = 'verified';
  else if (d.verifiedBy === 'dns' && !d.failing && broken.length > 0) transition = 'started-failing';
  else if (d.verifiedBy === 'dns' && d.failing && passes) transition = 'recovered';
  return { transition, passes, returnPathOk, problems };
}

/** Whether mail may be sent as the domain under the policy: `listed` is the allowed list of old. */
export const maySend = (policy: SendingPolicy, verifiedBy: VerifiedBy | null): boolean =>
  policy === 'listed' || verifiedBy !== null;

/** The domain's state as the API shows it. */
export function domainState(verifiedBy: VerifiedBy | null, failing: boolean): 'pending' | 'verified' | 'failing' {
  if (verifiedBy === null) return 'pending';
  return failing ? 'failing' : 'verified';
}
