import crypto from 'node:crypto';
import type pg from 'pg';
import { findSigningFor } from '../db/sender-domains-repo.js';
import { returnPathHost } from '../domain/sender-auth/dns-records.js';
import { dkimKeyBox } from './dkim-keys.js';
import type { DkimKey } from './dkim-sign.js';

// What each copy of a message is signed with and sent from: the DKIM key of its sender domain (the newest one DNS
// has shown) and, once the domain's return-path CNAME verified, rp.<domain> as the VERP envelope sender's domain.

export interface CopySigning {
  /** Absent: no published key yet (the copy leaves unsigned). */
  key?: DkimKey;
  /** rp.<domain> when its CNAME verified; absent = BOUNCE_DOMAIN. */
  returnPathDomain?: string;
}

export interface CopySigner {
  forMessage(messageId: string): Promise<CopySigning>;
}

/** Plans are kept this long per message (the copies of one handoff), then read again (a rotation shows at once). */
const PLAN_TTL_MS = 30_000;
const MAX_CACHED = 512;

export function createCopySigner(pool: pg.Pool, masterSecret: string): CopySigner {
  const box = dkimKeyBox(masterSecret);
  const plans = new Map<string, { at: number; plan: Promise<CopySigning> }>();
  // Unsealing and parsing a key costs more than a lookup; keys are immutable once made, so keyed by their sealed text.
  const keys = new Map<string, crypto.KeyObject>();
  const keyOf = (sealed: string): crypto.KeyObject => {
    let k = keys.get(sealed);
    if (!k) {
      if (keys.size >= MAX_CACHED) keys.clear();
      k = crypto.createPrivateKey(box.open(sealed));
      keys.set(sealed, k);
    }
    return k;
  };
  const load = async (messageId: string): Promise<CopySigning> => {
    const row = await findSigningFor(pool, messageId);
    if (!row) return {};
    return {
      ...(row.selector && row.privateKey
        ? { key: { domain: row.domain, selector: row.selector, privateKey: keyOf(row.privateKey) } }
        : {}),
      ...(row.returnPathOk ? { returnPathDomain: returnPathHost(row.domain) } : {}),
    };
  };
  return {
    forMessage(messageId) {
      const now = Date.now();
      const hit = plans.get(messageId);
      if (hit && now - hit.at < PLAN_TTL_MS) return hit.plan;
      if (plans.size >= MAX_CACHED) plans.clear();
      const plan = load(messageId);
      plans.set(messageId, { at: now, plan });
      plan.catch(() => plans.delete(messageId));
      return plan;
    },
  };
}
