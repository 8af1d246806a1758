import { z } from 'zod';
import { parseCidr } from '../domain/network/cidr.js';
import { messageStatuses } from '../domain/status.js';
import { accountStates } from '../domain/policy/quota.js';
import { MAX_HOST_NAME } from '../domain/mime/address.js';

// Request schemas: every input the API takes is validated here before anything is touched.

export const cidrSchema = z
  .string()
  .trim()
  .min(1)
  .transform((s, ctx) => {
    const c = parseCidr(s);
    if ('error' in c) {
      ctx.addIssue({ code: 'custom', message: c.error });
      return z.NEVER;
    }
    return c.text;
  });

/** PostgreSQL's largest bigint: a row id cursor past it would fail in the query (a 500), so it is refused here. */
const maxBigint = 2n ** 63n - 1n;

/** A paging cursor that is a row id: the nextCursor of a previous page of the same feed. */
export const rowIdCursor = z
  .string()
  // one check, not a pattern then a range: zod runs every check, and BigInt("null") would throw
  .refine((s) => /^\d{1,19}$/.test(s) && BigInt(s) <= maxBigint, 'cursor must be the nextCursor of a previous page');

/** A domain name as DNS allows it (RFC 1035 2.3.4): labels of 1-63 letters, digits or inner hyphens, 253 in all. */
const DOMAIN_NAME = new RegExp(
  String.raw`^(?=.{1,${MAX_HOST_NAME}}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$`,
);
/** A domain name in a request body, compared in lower case. */
export const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .refine((d) => DOMAIN_NAME.test(d), 'must be a domain name such as example.com');

export const createAccountBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();
const sendingLimit = z.number().int().min(0).max(1_000_000_000).nullable().optional();
export const updateAccountBody = z
  .object({
    trackOpens: z.boolean().optional(),
    trackClicks: z.boolean().optional(),
    // Messages per minute and per UTC day; null = unlimited, an omitted one stays as it is.
    limits: z.object({ perMinute: sendingLimit, perDay: sendingLimit }).strict().optional(),
    state: z.enum(accountStates).optional(),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine(
    (b) => Object.values(b).some((v) => v !== undefined),
    'give trackOpens, trackClicks, limits and/or state (with a reason)',
  )
  .refine((b) => (b.state === undefined) === (b.reason === undefined), {
    message: 'a state change needs a reason, and a reason goes with a state',
    path: ['reason'],
  });
export const senderDomainBody = z
  .object({
    domain: domainName,
    /** `manual`: the admin vouches for the domain (recorded as verified by hand); unset = it verifies through DNS. */
    verified: z.literal('manual').optional(),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export const cidrBody = z.object({ cidr: cidrSchema }).strict();
export const trustZoneBody = z.object({ cidr: cidrSchema, name: z.string().trim().min(1).max(200) }).strict();
export const smtpCredentialBody = z
  .object({
    username: z
      .string()
      .trim()
      .min(3)
      .max(100)
      .regex(/^[A-Za-z0-9._@+-]+$/)
      .optional(),
  })
  .strict();

export const idParam = z.object({ id: z.string().min(1).max(100) });

export const listMessagesQuery = z
  .object({
    messageId: z.string().max(998).optional(),
    recipient: z.string().max(320).optional(),
    /** Part of the envelope sender or the From header, case-insensitive. */
    sender: z.string().max(320).optional(),
    /** Part of the subject, case-insensitive. */
    subject: z.string().max(998).optional(),
    /** Submitted at or after / before these instants. */
    since: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
    until: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      .optional(),
    status: z.enum(messageStatuses as [string, ...string[]]).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(100).optional(),
  })
  .strict();
