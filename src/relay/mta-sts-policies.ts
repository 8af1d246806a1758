import https from 'node:https';
import type pg from 'pg';
import { classifyIp, parseIpAddress, type AddressClassification } from '../domain/network/address-class.js';
import { pinnedLookup } from '../infra/pinned-lookup.js';
import {
  cachePolicy,
  MAX_POLICY_BYTES,
  parseMtaStsPolicy,
  parseStsRecord,
  planPolicyLookup,
  type CachedPolicy,
  type MtaStsPolicy,
  type StsRecordAnswer,
} from '../domain/relay/mta-sts.js';
import type { Logger } from '../log.js';
import type { RouteDns } from './resolve-route.js';

// A relay's MTA-STS policies (RFC 8461): the `_mta-sts.<domain>` TXT record through the relay's resolver, the policy
// file from https://mta-sts.<domain>/.well-known/mta-sts.txt, and a cache in the relay's database honouring max_age
// and the record's id (a new id means fetch again). What to do with each answer is src/domain/relay/mta-sts.ts.
//
// The fetch is an outbound connection like any other: the policy host is resolved through the relay's resolver,
// every address must be public (unless allowPrivate: local use and tests), and the socket goes to exactly the checked
// addresses. The certificate must verify for the policy host against the system's CAs (plus RELAY_EXTRA_CA_FILE);
// redirects are not followed (§3.3); the body is cut off past 64 KiB; the whole fetch has one deadline.

export interface MtaStsPoliciesOptions {
  pool: pg.Pool;
  dns: RouteDns;
  /** Trusted CAs for the policy host's certificate; absent = Node's defaults. */
  ca?: string[];
  allowPrivate?: boolean;
  /** 443 in the real world (§3.3); tests serve the policy on an ephemeral port. */
  httpsPort?: number;
  /** Deadline of one fetch (connect, TLS, headers and body). */
  timeoutMs?: number;
  log: Logger;
  now?: () => number;
}

export interface MtaStsPolicies {
  /** The domain's policy to deliver under, or undefined when it has none; never throws for DNS or HTTPS trouble. */
  policyFor(domain: string): Promise<MtaStsPolicy | undefined>;
}

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND']);

async function stsRecord(dns: RouteDns, domain: string): Promise<StsRecordAnswer> {
  if (!dns.resolveTxt) return { kind: 'error' };
  try {
    const parsed = parseStsRecord(await dns.resolveTxt(`_mta-sts.${domain}`));
    return parsed ? { kind: 'record', id: parsed.id } : { kind: 'none' };
  } catch (err) {
    return NO_RECORD.has(codeOf(err) ?? '') ? { kind: 'none' } : { kind: 'error' };
  }
}

/** Fetches and parses the policy file; rejects with a short reason on any failure. */
export async function fetchMtaStsPolicy(
  domain: string,
  o: Pick<MtaStsPoliciesOptions, 'dns' | 'ca' | 'allowPrivate' | 'httpsPort' | 'timeoutMs'>,
): Promise<MtaStsPolicy> {
  const host = `mta-sts.${domain}`;
  const signal = AbortSignal.timeout(o.timeoutMs ?? 10_000);
  const checked: AddressClassification[] = [];
  for (const text of await o.dns.resolveAddresses(host)) {
    const a = parseIpAddress(text);
    if (!a) throw new Error(`unparseable address for ${host}`);
    const c = classifyIp(a);
    // Every address must pass: one internal address among public ones refuses the name whole.
    if (c.scope === 'internal' && !o.allowPrivate) throw new Error(`${host} resolves to a non-public address`);
    checked.push(c);
  }
  if (checked.length === 0) throw new Error(`${host} has no address`);
  const body = await new Promise<string>((resolve, reject) => {
    const req = https.request(
      {
        method: 'GET',
        hostname: host,
        port: o.httpsPort ?? 443,
        path: '/.well-known/mta-sts.txt',
        servername: host,
        lookup: pinnedLookup(checked),
        agent: false,
        rejectUnauthorized: true,
        ...(o.ca ? { ca: o.ca } : {}),
        signal,
      },
      (res) => {
        const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (res.statusCode !== 200 || type !== 'text/plain') {
          res.destroy();
          reject(new Error(`policy answer: HTTP ${res.statusCode ?? '?'} ${type ?? ''}`.trim()));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_POLICY_BYTES) {
            res.destroy();
            reject(new Error(`policy over ${MAX_POLICY_BYTES} bytes`));
          } else chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
  const parsed = parseMtaStsPolicy(body);
  if (!parsed.ok) throw new Error(`invalid policy: ${parsed.error}`);
  return parsed.policy;
}

async function readCached(pool: pg.Pool, domain: string): Promise<CachedPolicy | undefined> {
  const { rows } = await pool.query<{
    policy_id: string;
    mode: MtaStsPolicy['mode'];
    mx: string[];
    max_age: number;
    expires_at: Date;
  }>('SELECT policy_id, mode, mx, max_age, expires_at FROM relay_mta_sts_policies WHERE domain = $1', [domain]);
  const r = rows[0];
  return (
    r && {
      id: r.policy_id,
      policy: { mode: r.mode, mx: r.mx, maxAgeSeconds: r.max_age },
      expiresAt: r.expires_at.getTime(),
    }
  );
}

async function storeCached(pool: pg.Pool, domain: string, c: CachedPolicy, now: number): Promise<void> {
  await pool.query(
    `INSERT INTO relay_mta_sts_policies (domain, policy_id, mode, mx, max_age, fetched_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (domain) DO UPDATE SET policy_id = $2, mode = $3, mx = $4, max_age = $5, fetched_at = $6, expires_at = $7`,
    [domain, c.id, c.policy.mode, c.policy.mx, c.policy.maxAgeSeconds, new Date(now), new Date(c.expiresAt)],
  );
}

export function createMtaStsPolicies(o: MtaStsPoliciesOptions): MtaStsPolicies {
  const now = o.now ?? Date.now;
  // Sessions to one domain starting together share one lookup (and one fetch).
  const pending = new Map<string, Promise<MtaStsPolicy | undefined>>();

  const lookup = async (domain: string): Promise<MtaStsPolicy | undefined> => {
    // A database error is not caught: the attempt fails and is retried later, never delivered without the policy.
    const [answer, cached] = await Promise.all([stsRecord(o.dns, domain), readCached(o.pool, domain)]);
    const plan = planPolicyLookup(answer, cached, now());
    if (plan.kind === 'none') return undefined;
    if (plan.kind === 'cached') return plan.cached.policy;
    try {
      const policy = await fetchMtaStsPolicy(domain, o);
      const fresh = cachePolicy(plan.id, policy, now());
      await storeCached(o.pool, domain, fresh, now());
      o.log.info('relay.mta_sts_policy', {
        domain,
        policyId: plan.id,
        mode: policy.mode,
        maxAge: policy.maxAgeSeconds,
      });
      return policy;
    } catch (err) {
      // RFC 8461 §5.1: a policy that cannot be fetched leaves an unexpired cached one in force, else no policy.
      const live = cached && cached.expiresAt > now() ? cached : undefined;
      o.log.warn('relay.mta_sts_fetch_failed', {
        domain,
        policyId: plan.id,
        error: (err as Error).message.slice(0, 300),
        keptCached: live !== undefined,
      });
      return live?.policy;
    }
  };

  return {
    policyFor(domain) {
      const d = domain.toLowerCase().replace(/\.$/, '');
      let p = pending.get(d);
      if (!p) {
        p = lookup(d).finally(() => pending.delete(d));
        pending.set(d, p);
      }
      return p;
    },
  };
}
