import { z } from 'zod';
import {
  cidrBody,
  createAccountBody,
  idParam,
  listMessagesQuery,
  senderDomainBody,
  smtpCredentialBody,
  trustZoneBody,
  updateAccountBody,
} from './schemas.js';
import {
  createIpBody,
  createPoolBody,
  createRuleBody,
  explainBody,
  groupParam,
  ipParam,
  listIpsQuery,
  patchIpBody,
  patchPoolBody,
  patchRuleBody,
  poolParam,
  putGroupBody,
  registerRelayBody,
  relayParam,
  reorderBody,
  ruleParam,
} from './mde-schemas.js';
import { keyParam } from './routes/auth-lockouts.js';
import { itemParams } from './routes/credential-routes.js';
import { listEventsQuery } from './routes/events.js';
import { idParam as incidentParam, listQuery as incidentsQuery } from './routes/incidents.js';
import { statsQuery } from './routes/stats.js';
import { createBody as suppressionBody, listQuery as suppressionsQuery, scopeQuery } from './routes/suppressions.js';
import { createWebhookBody, pageQuery as webhookDeliveriesQuery } from './routes/webhooks.js';
import { relayReportsPath } from './routes/relay-reports.js';
import { domainParams, senderDomainView, verifyBody } from './routes/sender-domains.js';
import { pushBody } from '../relay-protocol/feed.js';
import {
  accountCreated,
  apiKeyCreated,
  cidrResponse,
  errorResponse,
  eventList,
  healthResponse,
  messageList,
  messageView,
  readyResponse,
  record,
  recordList,
  relayReportsResponse,
  itemsOf,
  smtpCredentialCreated,
  statsResponse,
} from './response-schemas.js';

// The API contract: one registry of every route the api serves (method, path, who may call it, the zod schemas its
// handler validates the request with, and its responses). /openapi.json is generated from it, the contract test
// checks that the app serves exactly these routes and that responses match, and the routes import the same request
// schemas. Nothing of the document is written by hand.

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** admin = the admin API key; key = the admin key or an account key (scoped to its account); relay = a relay's secret. */
export type RouteAuth = 'admin' | 'key' | 'relay' | 'metrics' | 'none';

export interface ResponseContract {
  description: string;
  /** JSON body schema; absent for an empty body or a non-JSON one (`contentType`). */
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteContract {
  method: HttpMethod;
  /** Express syntax: `/v1/accounts/:id`. */
  path: string;
  tag: string;
  summary: string;
  auth: RouteAuth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseContract>;
}

const ok = (schema: z.ZodType, description = 'OK'): ResponseContract => ({ description, schema });
const created = (schema: z.ZodType): ResponseContract => ({ description: 'Created', schema });
const noContent: ResponseContract = { description: 'Deleted' };
const accountParam = z.object({ id: z.string().min(1).max(100) });
const addressParam = z.object({ address: z.string().min(1).max(320) });
/** Tracking tokens are base64url (src/tracking/tokens.ts); anything else is answered 404 like a forged token. */
const tokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{1,4000}$/) });

/** Every route of the api. The error responses each route may give are added from its `auth` and inputs. */
export const apiRoutes: RouteContract[] = [
  // Operations
  {
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    summary: 'Liveness',
    auth: 'none',
    responses: { 200: ok(healthResponse) },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    summary: 'Readiness of each dependency this process uses (database, temporal, worker, smtp)',
    auth: 'none',
    responses: { 200: ok(readyResponse), 503: { description: 'Some dependency is down', schema: readyResponse } },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics of this process, with the Temporal SDK worker metrics merged in',
    auth: 'metrics',
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'operations',
    summary: 'This document',
    auth: 'none',
    responses: { 200: ok(record) },
  },
  // Relay push callback
  {
    method: 'post',
    path: relayReportsPath,
    tag: 'relays',
    summary: "A relay's outcome events (X-Relay-Id, X-Relay-Signature: HMAC of the body with the relay secret)",
    auth: 'relay',
    body: pushBody,
    responses: { 200: ok(relayReportsResponse) },
  },
  // Tracking
  {
    method: 'get',
    path: '/t/o/:token',
    tag: 'tracking',
    summary: 'Open pixel (1×1 GIF); the token is the credential',
    auth: 'none',
    params: tokenParam,
    responses: {
      200: { description: 'The pixel', contentType: 'image/gif' },
      404: { description: 'Unknown token', contentType: 'text/plain' },
    },
  },
  {
    method: 'get',
    path: '/t/c/:token',
    tag: 'tracking',
    summary: 'Click redirect; the token is the credential',
    auth: 'none',
    params: tokenParam,
    responses: {
      302: { description: 'Redirect to the link' },
      404: { description: 'Unknown token', contentType: 'text/plain' },
    },
  },
  // Accounts
  {
    method: 'post',
    path: '/v1/accounts',
    tag: 'accounts',
    summary: 'Create an account',
    auth: 'admin',
    body: createAccountBody,
    responses: { 201: created(accountCreated) },
  },
  {
    method: 'get',
    path: '/v1/accounts/:id',
    tag: 'accounts',
    summary: 'An account with usage, state history and events',
    auth: 'admin',
    params: idParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'patch',
    path: '/v1/accounts/:id',
    tag: 'accounts',
    summary: 'Tracking defaults, limits, state',
    auth: 'admin',
    params: idParam,
    body: updateAccountBody,
    responses: { 200: ok(record) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/smtp-credentials',
    tag: 'accounts',
    summary: 'New SMTP credential (password shown once)',
    auth: 'admin',
    params: idParam,
    body: smtpCredentialBody,
    responses: { 201: created(smtpCredentialCreated) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/api-keys',
    tag: 'accounts',
    summary: 'New account API key (shown once)',
    auth: 'admin',
    params: idParam,
    responses: { 201: created(apiKeyCreated) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/sender-domains',
    tag: 'accounts',
    summary: 'Add a sender domain: the DNS records to publish (ownership, DKIM, SPF, return path, DMARC)',
    auth: 'admin',
    params: idParam,
    body: senderDomainBody,
    responses: { 200: ok(senderDomainView, 'Already there'), 201: created(senderDomainView) },
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/sender-domains',
    tag: 'accounts',
    summary: 'Sender domains with their state and records',
    auth: 'admin',
    params: idParam,
    responses: { 200: ok(itemsOf(senderDomainView)) },
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/sender-domains/:domain',
    tag: 'accounts',
    summary: 'A sender domain: each DNS record expected vs found at the last check (ok, missing, wrong)',
    auth: 'admin',
    params: domainParams,
    responses: { 200: ok(senderDomainView) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/sender-domains/:domain/verify',
    tag: 'accounts',
    summary: 'Check the DNS records now, or (manual) mark the domain verified by hand',
    auth: 'admin',
    params: domainParams,
    body: verifyBody,
    responses: { 200: ok(senderDomainView) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/sender-domains/:domain/dkim-keys',
    tag: 'accounts',
    summary: 'New DKIM key (rotation): signs once DNS shows it; the old key stays expected for DKIM_ROTATION_OVERLAP',
    auth: 'admin',
    params: domainParams,
    responses: { 201: created(senderDomainView) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/allowed-ips',
    tag: 'accounts',
    summary: 'Add a network to the acceptance list',
    auth: 'admin',
    params: idParam,
    body: cidrBody,
    responses: { 200: ok(cidrResponse, 'Already there'), 201: created(cidrResponse) },
  },
  {
    method: 'post',
    path: '/v1/accounts/:id/ip-credentials',
    tag: 'accounts',
    summary: 'Add an IP credential (a network that submits without AUTH on the plain port)',
    auth: 'admin',
    params: idParam,
    body: cidrBody,
    responses: { 201: created(cidrResponse) },
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/api-keys',
    tag: 'accounts',
    summary: "The account's API keys (no secrets)",
    auth: 'admin',
    params: accountParam,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/smtp-credentials',
    tag: 'accounts',
    summary: "The account's SMTP credentials (no secrets)",
    auth: 'admin',
    params: accountParam,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/accounts/:id/ip-credentials',
    tag: 'accounts',
    summary: "The account's IP credentials",
    auth: 'admin',
    params: accountParam,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'delete',
    path: '/v1/accounts/:id/api-keys/:item',
    tag: 'accounts',
    summary: 'Revoke an API key',
    auth: 'admin',
    params: itemParams,
    responses: { 204: noContent },
  },
  {
    method: 'delete',
    path: '/v1/accounts/:id/smtp-credentials/:item',
    tag: 'accounts',
    summary: 'Revoke an SMTP credential',
    auth: 'admin',
    params: itemParams,
    responses: { 204: noContent },
  },
  {
    method: 'delete',
    path: '/v1/accounts/:id/ip-credentials/:item',
    tag: 'accounts',
    summary: 'Revoke an IP credential',
    auth: 'admin',
    params: itemParams,
    responses: { 204: noContent },
  },
  {
    method: 'delete',
    path: '/v1/accounts/:id/sender-domains/:item',
    tag: 'accounts',
    summary: 'Remove a sender domain',
    auth: 'admin',
    params: itemParams,
    responses: { 204: noContent },
  },
  {
    method: 'delete',
    path: '/v1/accounts/:id/allowed-ips/:item',
    tag: 'accounts',
    summary: 'Remove a network from the acceptance list',
    auth: 'admin',
    params: itemParams,
    responses: { 204: noContent },
  },
  {
    method: 'post',
    path: '/v1/trust-zones',
    tag: 'accounts',
    summary: 'Add a trust zone',
    auth: 'admin',
    body: trustZoneBody,
    responses: { 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/trust-zones',
    tag: 'accounts',
    summary: 'Trust zones',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'delete',
    path: '/v1/trust-zones/:id',
    tag: 'accounts',
    summary: 'Remove a trust zone',
    auth: 'admin',
    params: idParam,
    responses: { 204: noContent },
  },
  {
    method: 'get',
    path: '/v1/auth-lockouts',
    tag: 'accounts',
    summary: 'AUTH lockouts in force',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'delete',
    path: '/v1/auth-lockouts/:key',
    tag: 'accounts',
    summary: 'Clear an AUTH lockout',
    auth: 'admin',
    params: keyParam,
    responses: { 204: noContent },
  },
  // Messages, events, stats
  {
    method: 'get',
    path: '/v1/messages',
    tag: 'messages',
    summary: 'Messages, newest first (also ?tag= and ?metadata[key]=)',
    auth: 'key',
    query: listMessagesQuery,
    responses: { 200: ok(messageList) },
  },
  {
    method: 'get',
    path: '/v1/messages/:id',
    tag: 'messages',
    summary: 'A message with its recipients and events',
    auth: 'key',
    params: idParam,
    responses: { 200: ok(messageView) },
  },
  {
    method: 'get',
    path: '/v1/messages/:id/events',
    tag: 'messages',
    summary: "A message's events",
    auth: 'key',
    params: idParam,
    responses: { 200: ok(eventList) },
  },
  {
    method: 'get',
    path: '/v1/events',
    tag: 'messages',
    summary: 'Events of every message, oldest first',
    auth: 'key',
    query: listEventsQuery,
    responses: { 200: ok(eventList) },
  },
  {
    method: 'get',
    path: '/v1/stats',
    tag: 'messages',
    summary: 'Counts and rates per day or hour',
    auth: 'key',
    query: statsQuery,
    responses: { 200: ok(statsResponse) },
  },
  // Suppressions and webhooks
  {
    method: 'get',
    path: '/v1/suppressions',
    tag: 'suppressions',
    summary: 'Suppressed addresses',
    auth: 'key',
    query: suppressionsQuery,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'post',
    path: '/v1/suppressions',
    tag: 'suppressions',
    summary: 'Suppress an address',
    auth: 'key',
    query: scopeQuery,
    body: suppressionBody,
    responses: { 201: created(record) },
  },
  {
    method: 'delete',
    path: '/v1/suppressions/:address',
    tag: 'suppressions',
    summary: 'Remove an address from the list',
    auth: 'key',
    params: addressParam,
    query: scopeQuery,
    responses: { 204: noContent },
  },
  {
    method: 'post',
    path: '/v1/webhooks',
    tag: 'webhooks',
    summary: 'Register a webhook (secret shown once)',
    auth: 'key',
    body: createWebhookBody(),
    responses: { 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    tag: 'webhooks',
    summary: 'Webhooks',
    auth: 'key',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id',
    tag: 'webhooks',
    summary: 'A webhook',
    auth: 'key',
    params: idParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'delete',
    path: '/v1/webhooks/:id',
    tag: 'webhooks',
    summary: 'Delete a webhook',
    auth: 'key',
    params: idParam,
    responses: { 204: noContent },
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    tag: 'webhooks',
    summary: "A webhook's delivery attempts, newest first",
    auth: 'key',
    params: idParam,
    query: webhookDeliveriesQuery,
    responses: { 200: ok(recordList) },
  },
  // Mail Distribution Engine
  {
    method: 'post',
    path: '/v1/ip-pools',
    tag: 'mde',
    summary: 'Create an IP pool',
    auth: 'admin',
    body: createPoolBody,
    responses: { 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/ip-pools',
    tag: 'mde',
    summary: 'IP pools',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/ip-pools/:name',
    tag: 'mde',
    summary: 'An IP pool',
    auth: 'admin',
    params: poolParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'patch',
    path: '/v1/ip-pools/:name',
    tag: 'mde',
    summary: 'Change an IP pool',
    auth: 'admin',
    params: poolParam,
    body: patchPoolBody,
    responses: { 200: ok(record) },
  },
  {
    method: 'delete',
    path: '/v1/ip-pools/:name',
    tag: 'mde',
    summary: 'Delete an empty IP pool',
    auth: 'admin',
    params: poolParam,
    responses: { 204: noContent },
  },
  {
    method: 'post',
    path: '/v1/ips',
    tag: 'mde',
    summary: 'Add an IP',
    auth: 'admin',
    body: createIpBody,
    responses: { 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/ips',
    tag: 'mde',
    summary: 'IPs with state and reputation',
    auth: 'admin',
    query: listIpsQuery,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/ips/:ip',
    tag: 'mde',
    summary: 'An IP with its change history',
    auth: 'admin',
    params: ipParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'patch',
    path: '/v1/ips/:ip',
    tag: 'mde',
    summary: 'Change pool, state or weight (audited)',
    auth: 'admin',
    params: ipParam,
    body: patchIpBody,
    responses: { 200: ok(record) },
  },
  {
    method: 'delete',
    path: '/v1/ips/:ip',
    tag: 'mde',
    summary: 'Delete an IP',
    auth: 'admin',
    params: ipParam,
    responses: { 204: noContent },
  },
  {
    method: 'post',
    path: '/v1/relays',
    tag: 'mde',
    summary: 'Register a relay (its secret is returned)',
    auth: 'admin',
    body: registerRelayBody,
    responses: { 200: ok(record, 'Updated'), 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/relays',
    tag: 'mde',
    summary: 'Relays with health and queue depth',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/relays/:id',
    tag: 'mde',
    summary: 'A relay',
    auth: 'admin',
    params: relayParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'put',
    path: '/v1/mde/groups/:name',
    tag: 'mde',
    summary: 'Create or replace a domain group',
    auth: 'admin',
    params: groupParam,
    body: putGroupBody,
    responses: { 200: ok(record, 'Replaced'), 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/mde/groups',
    tag: 'mde',
    summary: 'Domain groups',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/mde/groups/:name',
    tag: 'mde',
    summary: 'A domain group',
    auth: 'admin',
    params: groupParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'delete',
    path: '/v1/mde/groups/:name',
    tag: 'mde',
    summary: 'Delete a domain group',
    auth: 'admin',
    params: groupParam,
    responses: { 204: noContent },
  },
  {
    method: 'post',
    path: '/v1/mde/rules',
    tag: 'mde',
    summary: 'Create a routing rule',
    auth: 'admin',
    body: createRuleBody,
    responses: { 201: created(record) },
  },
  {
    method: 'get',
    path: '/v1/mde/rules',
    tag: 'mde',
    summary: 'Routing rules in evaluation order',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'post',
    path: '/v1/mde/rules/reorder',
    tag: 'mde',
    summary: 'Renumber rule priorities in the given order',
    auth: 'admin',
    body: reorderBody,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/mde/rules/:id',
    tag: 'mde',
    summary: 'A routing rule',
    auth: 'admin',
    params: ruleParam,
    responses: { 200: ok(record) },
  },
  {
    method: 'patch',
    path: '/v1/mde/rules/:id',
    tag: 'mde',
    summary: 'Change a rule (409 on a stale version)',
    auth: 'admin',
    params: ruleParam,
    body: patchRuleBody,
    responses: { 200: ok(record) },
  },
  {
    method: 'delete',
    path: '/v1/mde/rules/:id',
    tag: 'mde',
    summary: 'Delete a rule',
    auth: 'admin',
    params: ruleParam,
    responses: { 204: noContent },
  },
  {
    method: 'post',
    path: '/v1/mde/explain',
    tag: 'mde',
    summary: 'Where would this message go, and why',
    auth: 'admin',
    body: explainBody,
    responses: { 200: ok(record) },
  },
  // Reputation
  {
    method: 'get',
    path: '/v1/incidents',
    tag: 'reputation',
    summary: 'Reputation incidents',
    auth: 'admin',
    query: incidentsQuery,
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/incidents/warnings',
    tag: 'reputation',
    summary: 'Ops warnings (a blocklist refusing our queries)',
    auth: 'admin',
    responses: { 200: ok(recordList) },
  },
  {
    method: 'get',
    path: '/v1/incidents/:id',
    tag: 'reputation',
    summary: 'An incident with its alerts',
    auth: 'admin',
    params: incidentParam,
    responses: { 200: ok(record) },
  },
];

/** The errors a route may answer with, beyond its own responses. */
function errorResponses(route: RouteContract): Record<number, string> {
  const out: Record<number, string> = {};
  const hasInput = route.params || route.query || route.body;
  if (hasInput || route.auth === 'key' || route.auth === 'admin') out[400] = 'Invalid request';
  if (route.auth !== 'none') out[401] = 'Missing or unknown credentials';
  if (route.auth === 'admin' || route.auth === 'key') out[403] = 'Not allowed for this key, or account suspended';
  if (route.params || route.path.startsWith('/v1/')) out[404] = 'Not found';
  if (route.method !== 'get' && route.method !== 'delete') {
    out[409] = 'Conflict';
    out[413] = 'Request body over 1 MiB';
  }
  // Node's HTTP parser refuses a request line and headers over 16 KiB before any route sees them
  out[431] = 'Request line and headers over 16 KiB';
  return out;
}

/** `/v1/accounts/:id` → `/v1/accounts/{id}`. */
export const openApiPath = (p: string): string => p.replace(/:([A-Za-z_]+)/g, '{$1}');

type JsonSchema = Record<string, unknown>;
/** A request schema as JSON Schema of what a client sends (zod's input side: before defaults and transforms). */
function inputSchema(s: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return rest;
}
/** A response schema as JSON Schema of what the server sends. */
export function outputSchema(s: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return rest;
}

function parameters(route: RouteContract): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const js = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {}))
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
  }
  // Path parameters the route names but validates inside its handler (or not at all) are still described.
  for (const m of route.path.matchAll(/:([A-Za-z_]+)/g))
    if (!out.some((p) => p.in === 'path' && p.name === m[1]))
      out.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
  return out;
}

const security: Record<RouteAuth, JsonSchema[] | undefined> = {
  admin: [{ apiKey: [] }],
  key: [{ apiKey: [] }],
  relay: [{ relaySecret: [] }],
  metrics: [{ metricsToken: [] }, { apiKey: [] }],
  none: [],
};

/** The OpenAPI 3.1 document of the api, generated from `apiRoutes`. */
export function openApiDocument(version = '0.1.0'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of apiRoutes) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      const content = r.schema
        ? { 'application/json': { schema: outputSchema(r.schema) } }
        : r.contentType
          ? { [r.contentType]: { schema: r.contentType.startsWith('text/') ? { type: 'string' } : {} } }
          : undefined;
      responses[status] = { description: r.description, ...(content ? { content } : {}) };
    }
    for (const [status, description] of Object.entries(errorResponses(route)))
      responses[status] ??= {
        description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    const operation: JsonSchema = {
      operationId: `${route.method}${openApiPath(route.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [route.tag],
      summary: route.summary,
      security: security[route.auth],
      parameters: parameters(route),
      responses,
    };
    if (route.body)
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: inputSchema(route.body) } },
      };
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SMTP relay API',
      version,
      description:
        'Accounts and credentials, message status and events, statistics, suppressions, webhooks, and the Mail Distribution Engine. ' +
        'Authenticate with `Authorization: Bearer <API key>`: the admin key sees everything, an account key only its account.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Admin or account API key' },
        relaySecret: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Relay-Signature',
          description:
            "t=<unix seconds>,v1=<hex HMAC-SHA256 with the relay's secret of the time, relay id and raw body>, with X-Relay-Id",
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
      },
      schemas: { Error: outputSchema(errorResponse) },
    },
    paths,
  };
}
