import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Express } from 'express';
import { createApiApp } from '../../src/api/app.js';
import { openApiPath } from '../../src/api/openapi.js';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { submitMail } from '../helpers/submit.js';

// The contract: /openapi.json is served, every route of the app is in it (and nothing else), and real answers of the
// api to a set of calls — successes and errors, admin and account keys — match the document's status codes and schemas.

let stack: Stack;
let acct: TestAccount;
type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
  components: { schemas: Record<string, object> };
};
let doc: Doc;
let ajv: InstanceType<typeof Ajv2020>;

before(async () => {
  stack = await startStack({ roles: ['worker', 'ingress', 'api'] });
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
  const res = await fetch(`${stack.apiUrl}/openapi.json`);
  assert.equal(res.status, 200);
  doc = (await res.json()) as Doc;
  ajv = new Ajv2020({ strict: false, allErrors: true });
});
after(() => stack?.close());

/** Every (METHOD, path) the express app answers, read from its router (route layers of the app and its routers). */
function servedRoutes(app: Express): string[] {
  const out: string[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stackOf: Layer[]): void => {
    for (const layer of stackOf) {
      if (layer.route)
        for (const [m, on] of Object.entries(layer.route.methods))
          if (on && m !== '_all') out.push(`${m.toUpperCase()} ${openApiPath(layer.route.path)}`);
      if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(out)].sort();
}

/** The document's template matching a concrete path (`/v1/messages/abc` → `/v1/messages/{id}`), literals first. */
function templateOf(path: string, method: string): string | undefined {
  const candidates = Object.keys(doc.paths).filter((t) => doc.paths[t]?.[method]);
  const matches = candidates.filter((t) =>
    new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  return matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

let checked = 0;
/** Calls the api and checks the answer against the document: status documented, JSON body valid by its schema. */
async function call(
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<{ status: number; body: unknown }> {
  const res = await stack.api(method, path, body, key);
  const template = templateOf(path.split('?')[0] as string, method.toLowerCase());
  assert.ok(template, `${method} ${path} is in the document`);
  const op = doc.paths[template]![method.toLowerCase()]!;
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${method} ${template} answered ${res.status}, which the document does not list`);
  const schema = documented.content?.['application/json']?.schema as { $ref?: string } | undefined;
  if (schema) {
    // The document's one shared schema (Error) is referenced from components; the others are inline.
    const ref = schema.$ref?.replace('#/components/schemas/', '');
    const validate = ajv.compile(ref ? (doc.components.schemas[ref] as object) : schema);
    assert.ok(
      validate(res.body),
      `${method} ${path} → ${res.status}: ${JSON.stringify(validate.errors)} body ${JSON.stringify(res.body)}`,
    );
  } else assert.equal(res.body, undefined, `${method} ${path} → ${res.status} has no documented body`);
  checked++;
  return res;
}

test('the document is OpenAPI 3.1 and lists exactly the routes the app serves', () => {
  assert.equal(doc.openapi, '3.1.0');
  const app = createApiApp(stack.pool, [], { temporal: stack.temporal, masterSecret: stack.masterSecret });
  // The web console's login and session routes (/console/…) serve the browser page, not the REST API.
  const served = servedRoutes(app).filter((r) => !/^\S+ \/console(\/|$)/.test(r));
  const documented = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
  assert.deepEqual(documented, served);
});

test('answers of the api match the document, successes and errors', async () => {
  await call('GET', '/healthz');
  await call('GET', '/readyz');
  await call('GET', '/openapi.json');
  const acc = (await call('POST', '/v1/accounts', { name: 'Contract' })).body as { id: string };
  await call('POST', '/v1/accounts', { name: '' });
  await call('GET', `/v1/accounts/${acc.id}`);
  await call('GET', '/v1/accounts/acc_missing');
  await call('PATCH', `/v1/accounts/${acc.id}`, { trackOpens: true });
  await call('POST', `/v1/accounts/${acc.id}/smtp-credentials`, {});
  await call('POST', `/v1/accounts/${acc.id}/api-keys`, {});
  await call('POST', `/v1/accounts/${acc.id}/sender-domains`, { domain: 'contract.example' });
  await call('POST', `/v1/accounts/${acc.id}/sender-domains`, { domain: 'contract.example' });
  await call('POST', `/v1/accounts/${acc.id}/allowed-ips`, { cidr: '10.9.0.0/16' });
  await call('GET', `/v1/accounts/${acc.id}/api-keys`);
  await call('GET', `/v1/accounts/${acc.id}/smtp-credentials`);
  await call('DELETE', `/v1/accounts/${acc.id}/sender-domains/contract.example`);
  await call('GET', '/v1/messages', undefined, 'rk_not_a_key');
  await call('GET', `/v1/accounts/${acc.id}`, undefined, acct.apiKey);
  await call('GET', '/v1/trust-zones');
  await call('GET', '/v1/auth-lockouts');

  const id = await submitMail(stack, acct, { from: 'a@example.com', to: 'b@dest.test', subject: 's', text: 't' });
  await call('GET', '/v1/messages', undefined, acct.apiKey);
  await call('GET', `/v1/messages?limit=1&recipient=b@dest.test`);
  await call('GET', '/v1/messages?limit=0');
  await call('GET', `/v1/messages/${id}`, undefined, acct.apiKey);
  await call('GET', `/v1/messages/${id}/events`);
  await call('GET', '/v1/messages/msg_missing', undefined, acct.apiKey);
  await call('GET', '/v1/events?limit=5');
  await call('GET', '/v1/events?type=routed', undefined, acct.apiKey);
  await call('GET', '/v1/stats?interval=hour', undefined, acct.apiKey);

  await call('POST', '/v1/suppressions', { address: 'x@dest.test' }, acct.apiKey);
  await call('GET', '/v1/suppressions', undefined, acct.apiKey);
  await call('DELETE', '/v1/suppressions/x@dest.test', undefined, acct.apiKey);
  await call('GET', '/v1/webhooks', undefined, acct.apiKey);
  await call('POST', '/v1/webhooks', { url: 'http://127.0.0.1/hook' }, acct.apiKey);

  await call('GET', '/v1/ip-pools');
  await call('POST', '/v1/ip-pools', { name: 'contract' });
  await call('GET', '/v1/ip-pools/contract');
  await call('PATCH', '/v1/ip-pools/contract', { description: 'for the contract test' });
  await call('GET', '/v1/ips');
  await call('GET', '/v1/ips/not-an-ip');
  await call('GET', '/v1/relays');
  await call('GET', '/v1/mde/rules');
  await call('GET', '/v1/mde/groups');
  await call('PUT', '/v1/mde/groups/contract', { domains: ['dest.test'] });
  await call('POST', '/v1/mde/explain', {
    accountId: acct.accountId,
    mailFrom: 'a@example.com',
    recipients: ['b@dest.test'],
  });
  await call('GET', '/v1/incidents');
  await call('GET', '/v1/incidents/warnings');
  await call('DELETE', '/v1/ip-pools/contract');
  // A path outside the document answers 404 in the document's one error shape.
  const unknown = await stack.api('GET', '/v1/no-such-route');
  assert.equal(unknown.status, 404);
  assert.ok(ajv.compile(doc.components.schemas.Error as object)(unknown.body));
  assert.ok(checked >= 45, `checked ${checked} answers`);
});
