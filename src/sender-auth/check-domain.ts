import type pg from 'pg';
import {
  compareRecord,
  expectedRecords,
  type ExpectedRecord,
  type RecordCheck,
  type RecordStatus,
} from '../domain/sender-auth/dns-records.js';
import {
  decideDomain,
  domainState,
  planKeys,
  type DomainTransition,
  type KeyState,
} from '../domain/sender-auth/verification.js';
import { inTransaction } from '../db/pool.js';
import { getSenderDomain, saveDomainCheck, type DkimKeyRow, type SenderDomainRow } from '../db/sender-domains-repo.js';
import { appendAccountEvent } from '../db/account-standing-repo.js';
import { newMessageId } from '../ids.js';
import type { RecordLookup } from './dns-check.js';
import type { SenderAuthSettings } from './settings.js';

// One check of a sender domain's DNS records (the verify route, and the daily Schedule through an activity): look
// every expected record up, compare, then in one transaction store the statuses, the verification, the return path
// and the DKIM rotation step, and append an account event when the domain's state changes.

const live = (keys: readonly KeyState[], nowMs: number): KeyState[] =>
  keys.filter((k) => k.retireAfterMs === null || k.retireAfterMs > nowMs);

/** The records a domain should have published now (keys past their rotation overlap are no longer listed). */
export function recordsFor(
  d: SenderDomainRow,
  keys: readonly DkimKeyRow[],
  s: SenderAuthSettings,
  nowMs: number,
): ExpectedRecord[] {
  const published = new Set(live(keys, nowMs).map((k) => k.selector));
  return expectedRecords(
    d.domain,
    {
      ownershipToken: d.ownershipToken ?? '',
      dkim: keys
        .filter((k) => published.has(k.selector))
        .map((k) => ({ selector: k.selector, publicKey: k.publicKey })),
    },
    s,
  ).filter((r) => r.purpose !== 'ownership' || d.ownershipToken !== null);
}

export interface CheckOutcome {
  transition: DomainTransition;
  problems: string[];
  checks: RecordCheck[];
  /** Set while the domain is failing: the id its alert mail is (to be) stored under. */
  alertMessageId?: string;
}

/** Runs the check now; undefined when the account does not list the domain. */
export async function checkDomainNow(
  pool: pg.Pool,
  lookup: RecordLookup,
  s: SenderAuthSettings,
  accountId: string,
  domain: string,
  now: Date,
): Promise<CheckOutcome | undefined> {
  const before = await getSenderDomain(pool, accountId, domain);
  if (!before) return undefined;
  const nowMs = now.getTime();
  const expected = recordsFor(before.domain, before.keys, s, nowMs);
  const checks = await Promise.all(expected.map(async (r) => compareRecord(r, await lookup(r.host, r.type))));
  return inTransaction(pool, async (c) => {
    const cur = await getSenderDomain(c, accountId, domain, { forUpdate: true });
    if (!cur) return undefined;
    const dkimStatus = new Map<string, RecordStatus>(
      checks.filter((x) => x.purpose === 'dkim' && x.selector).map((x) => [x.selector as string, x.status]),
    );
    const plan = planKeys(cur.keys, dkimStatus, nowMs, s.rotationOverlapMs);
    const decision = decideDomain(
      {
        verifiedBy: cur.domain.verifiedBy,
        failing: cur.domain.failingSince !== null,
        returnPathOk: cur.domain.returnPathOk,
        ...(plan.signing ? { signingSelector: plan.signing } : {}),
      },
      checks,
    );
    const alertMessageId =
      decision.transition === 'started-failing' ? newMessageId(nowMs) : (cur.domain.alertMessageId ?? undefined);
    await saveDomainCheck(c, {
      accountId,
      domain,
      checks,
      returnPathOk: decision.returnPathOk,
      transition: decision.transition,
      plan,
      now,
      ...(alertMessageId ? { alertMessageId } : {}),
    });
    if (decision.transition !== 'unchanged')
      await appendAccountEvent(c, {
        accountId,
        type: `sender-domain.${decision.transition}`,
        data: { domain, problems: decision.problems },
        sourceKey: `sender-domain:${accountId}:${domain}:${decision.transition}:${now.toISOString()}`,
      });
    const failing =
      decision.transition === 'started-failing' ||
      (cur.domain.failingSince !== null && decision.transition !== 'recovered');
    return {
      transition: decision.transition,
      problems: decision.problems,
      checks,
      ...(failing && alertMessageId ? { alertMessageId } : {}),
    };
  });
}

/** A domain as the API shows it: state, verification, and each record expected vs found at the last check. */
export function domainView(
  d: SenderDomainRow,
  keys: readonly DkimKeyRow[],
  s: SenderAuthSettings,
  nowMs: number,
): Record<string, unknown> {
  const last = d.lastCheck ?? [];
  const records = recordsFor(d, keys, s, nowMs).map((r) => {
    const seen = last.find((c) => c.purpose === r.purpose && c.host === r.host && c.value === r.value);
    return seen
      ? { ...r, status: seen.status, ...(seen.found !== undefined ? { found: seen.found } : {}) }
      : { ...r, status: 'unchecked' };
  });
  const plan = planKeys(keys, new Map(), nowMs, s.rotationOverlapMs);
  const decision = decideDomain(
    {
      verifiedBy: d.verifiedBy,
      failing: d.failingSince !== null,
      returnPathOk: d.returnPathOk,
      ...(plan.signing ? { signingSelector: plan.signing } : {}),
    },
    last,
  );
  return {
    accountId: d.accountId,
    domain: d.domain,
    state: domainState(d.verifiedBy, d.failingSince !== null),
    verification: d.verifiedBy ? { by: d.verifiedBy, at: d.verifiedAt, note: d.verifiedNote } : null,
    checkedAt: d.checkedAt,
    failingSince: d.failingSince,
    problems: d.checkedAt ? decision.problems : [],
    dkim: {
      signingSelector: plan.signing ?? null,
      keys: keys.map((k) => ({
        selector: k.selector,
        createdAt: new Date(k.createdAtMs),
        publishedAt: k.publishedAtMs === null ? null : new Date(k.publishedAtMs),
        retireAfter: k.retireAfterMs === null ? null : new Date(k.retireAfterMs),
      })),
    },
    returnPath: { host: `rp.${d.domain}`, verified: d.returnPathOk },
    records,
  };
}
