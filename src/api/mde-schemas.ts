import { z } from 'zod';
import { listedWithoutStandbyPolicies } from '../db/ip-pools-repo.js';
import { ipStates } from '../db/ips-repo.js';
import { normalizeIp } from '../domain/network/cidr.js';
import { ApiError } from '../infra/json-errors.js';
import { normalizeFingerprint } from '../relay-protocol/tls-pin.js';
import { domainName } from './schemas.js';

// Request schemas of the MDE admin API (IP pools, IPs, relays, domain groups, rules, explain).

const namePattern = /^[A-Za-z0-9._-]{1,64}$/;
const nameMessage = 'must be 1-64 characters: letters, digits, ".", "_" or "-"';
export const poolName = z.string().trim().regex(namePattern, nameMessage);
export const relayId = z.string().trim().regex(namePattern, nameMessage);
export const groupName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{1,64}$/, nameMessage);
const description = z.string().trim().max(500);

/** An IPv4 or IPv6 address in canonical form (IPv6 compressed, lower case; IPv4-mapped IPv6 as IPv4). */
export const ipAddress = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const ip = s.includes('/') ? undefined : normalizeIp(s);
    if (!ip) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not an IPv4 or IPv6 address` });
      return z.NEVER;
    }
    return ip;
  });
const ipState = z.enum(ipStates);
const weight = z.number().int().min(0).max(1_000_000);
const reason = z.string().trim().max(500);

const onListedWithoutStandby = z.enum(listedWithoutStandbyPolicies);
/** The accounts a pool is reserved for (empty = open to all); duplicates are dropped, order kept. */
const poolAccounts = z
  .array(z.string().trim().min(1).max(100))
  .max(1000)
  .transform((ids) => [...new Set(ids)]);
export const createPoolBody = z
  .object({
    name: poolName,
    description: description.optional(),
    onListedWithoutStandby: onListedWithoutStandby.default('keep-sending'),
    accounts: poolAccounts.default([]),
  })
  .strict();
export const patchPoolBody = z
  .object({
    description: description.nullable().optional(),
    onListedWithoutStandby: onListedWithoutStandby.optional(),
    accounts: poolAccounts.optional(),
  })
  .strict()
  .refine(
    (b) => b.description !== undefined || b.onListedWithoutStandby !== undefined || b.accounts !== undefined,
    'give at least one of description, onListedWithoutStandby, accounts',
  );
export const poolParam = z.object({ name: poolName });

/** A new IP starts `standby` unless told otherwise: it takes no traffic until someone makes it active. */
export const createIpBody = z
  .object({
    ip: ipAddress,
    pool: poolName,
    relayId,
    state: ipState.default('standby'),
    weight: weight.default(100),
    reason: reason.optional(),
  })
  .strict();
export const patchIpBody = z
  .object({
    pool: poolName.optional(),
    state: ipState.optional(),
    weight: weight.optional(),
    reason: reason.optional(),
  })
  .strict()
  .refine(
    (b) => b.pool !== undefined || b.state !== undefined || b.weight !== undefined,
    'give at least one of pool, state, weight',
  );
export const ipParam = z.object({ ip: ipAddress });
export const listIpsQuery = z
  .object({ pool: poolName.optional(), relayId: relayId.optional(), state: ipState.optional() })
  .strict();

export const registerRelayBody = z
  .object({
    id: relayId,
    smtpHost: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name or IP address'),
    smtpPort: z.number().int().min(1).max(65535),
    statusUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://relay-1:8025' }),
    /** The name the relay greets destinations with (its RELAY_HELO_NAME); scanned on the domain blocklists. null clears it. */
    heloName: domainName.nullable().optional(),
    /** SHA-256 fingerprint of the relay's TLS certificate (logged by the relay at start); the MDE hands off only to it. */
    tlsFingerprint: z
      .string()
      .transform(
        (v, ctx) =>
          normalizeFingerprint(v) ?? (ctx.addIssue({ code: 'custom', message: '32 hex pairs (SHA-256)' }), z.NEVER),
      )
      .optional(),
  })
  .strict();
export const relayParam = z.object({ id: relayId });

export const putGroupBody = z
  .object({
    domains: z
      .array(domainName)
      .min(1)
      .max(10_000)
      .transform((d) => [...new Set(d)]),
  })
  .strict();
export const groupParam = z.object({ name: groupName });

const matchValue = z.string().trim().max(255);
export const ruleMatch = z
  .object({
    accountId: matchValue.optional(),
    senderDomain: matchValue.toLowerCase().optional(),
    recipientDomain: matchValue.toLowerCase().optional(),
    tag: matchValue.optional(),
    priority: matchValue.optional(),
  })
  .strict();
// Range and references are checked by validateRule (with the pools and groups of the database), not here.
export const createRuleBody = z
  .object({
    priority: z.number(),
    match: ruleMatch,
    pool: z.string().trim().max(64),
    description: description.optional(),
  })
  .strict();
export const patchRuleBody = z
  .object({
    priority: z.number().optional(),
    match: ruleMatch.optional(),
    pool: z.string().trim().max(64).optional(),
    description: description.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine(
    (b) => b.priority !== undefined || b.match !== undefined || b.pool !== undefined || b.description !== undefined,
    'give at least one of priority, match, pool, description',
  );
export const reorderBody = z.object({ ids: z.array(z.string().max(100)).max(100_000) }).strict();
export const ruleParam = z.object({ id: z.string().min(1).max(100) });

/** A rule that cannot be saved: 400 invalid_rule naming every problem. */
export function invalidRule(problems: string[]): ApiError {
  return new ApiError(400, 'invalid_rule', `invalid rule: ${problems.join('; ')}`, problems);
}

/** Parses a rule body; shape problems (unknown match keys, wrong types) are reported as invalid_rule too. */
export function parseRule<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success)
    throw invalidRule(
      parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
    );
  return parsed.data;
}

const address = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+$/, 'must be an address such as user@example.com');
export const explainBody = z
  .object({
    accountId: z.string().trim().min(1).max(100),
    mailFrom: z.string().trim().max(320),
    recipients: z.array(address).min(1).max(1000),
    headers: z
      .record(z.string().max(200), z.union([z.string().max(1000), z.array(z.string().max(1000)).max(100)]))
      .optional(),
    messageId: z.string().trim().min(1).max(998).optional(),
  })
  .strict();
