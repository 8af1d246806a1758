import { z } from 'zod';
import { messageStatuses } from '../domain/status.js';

// Response schemas of the REST API, for the OpenAPI document (src/api/openapi.ts) and the contract test. Records
// whose columns belong to a repository are described by the fields a client relies on, with further fields allowed
// (z.looseObject): adding a column is not a breaking change; removing or retyping a listed one is.

const iso = z.string().describe('ISO 8601 date and time');
const nullableString = z.string().nullable();

/** The one error shape of every route (src/infra/json-errors.ts). */
export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const healthResponse = z.object({ ok: z.literal(true) });
export const readyResponse = z.object({
  ready: z.boolean(),
  /** The names of the checks that failed (e.g. `["temporal"]` while the Temporal server is restarting). */
  down: z.array(z.string()),
  ok: z.boolean(),
  checks: z.record(z.string(), z.boolean()),
});

/** Any JSON object: a record whose shape is the repository's. */
export const record = z.looseObject({});
/** `{ items }` of records, with `nextCursor` on paged lists. */
export const itemsOf = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), nextCursor: nullableString.optional() });
export const recordList = itemsOf(record);

const recipientView = z.looseObject({
  address: z.string(),
  kind: z.string(),
  status: z.string(),
  smtpCode: z.number().int().nullable(),
  enhancedCode: nullableString,
  smtpResponse: nullableString,
  /** The SMTP step the reply answered (CONN, HELO, MAIL, RCPT, DATA) and the host that gave it; null when unknown. */
  smtpCommand: nullableString,
  remoteHost: nullableString,
  relayId: nullableString,
  sourceIp: nullableString,
  route: z.looseObject({ pool: z.string(), ruleId: nullableString, ruleVersion: z.number().nullable() }).nullable(),
  bounce: z.looseObject({ reason: z.string(), hard: z.boolean() }).nullable(),
  /** The TLS of the last delivery attempt (MTA-STS mode `enforce`, `testing` or `none`); null before any. */
  tls: z
    .looseObject({
      version: nullableString,
      cipher: nullableString,
      verified: z.boolean(),
      mtaSts: z.string(),
      failure: nullableString,
    })
    .nullable(),
  updatedAt: iso,
});

export const messageSummary = z.looseObject({
  id: z.string(),
  status: z.enum(messageStatuses as [string, ...string[]]),
  mailFrom: z.string(),
  headerFrom: nullableString,
  subject: nullableString,
  messageId: nullableString,
  size: z.number().int(),
  raw: z.enum(['stored', 'purged']),
  rawPurgedAt: nullableString,
  clientIp: z.string(),
  submittedAt: iso,
  tags: z.array(z.string()),
  priority: nullableString,
  metadata: z.record(z.string(), z.string()),
  track: z.object({ opens: z.boolean().nullable(), clicks: z.boolean().nullable() }),
});

const eventView = z.looseObject({ type: z.string(), recipient: nullableString, at: iso, data: z.unknown() });

export const messageView = messageSummary.extend({
  recipients: z.array(recipientView),
  events: z.array(eventView),
});
export const messageList = z.object({ items: z.array(messageSummary), nextCursor: nullableString });
export const eventList = z.looseObject({
  items: z.array(eventView.extend({ id: z.string() })),
  nextCursor: nullableString.optional(),
});

const rates = z.object({
  delivered: z.number().nullable(),
  bounce: z.number().nullable(),
  open: z.number().nullable(),
  click: z.number().nullable(),
  complaint: z.number().nullable(),
});
const counts = z.record(z.string(), z.number().int());
export const statsResponse = z.object({
  from: iso,
  to: iso,
  interval: z.enum(['day', 'hour']),
  items: z.array(z.object({ start: iso, counts, rates })),
  totals: z.object({ counts, rates }),
});

export const accountCreated = z.object({ id: z.string(), name: z.string(), createdAt: z.union([iso, z.string()]) });
export const smtpCredentialCreated = z.object({ username: z.string(), password: z.string() });
export const apiKeyCreated = z.object({ id: z.string(), key: z.string() });
export const cidrResponse = z.object({ id: z.string(), accountId: z.string(), cidr: z.string() });
export const relayReportsResponse = z.object({ applied: z.number().int() });
