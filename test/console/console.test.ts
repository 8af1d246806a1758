import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { createAccount, type TestAccount } from '../helpers/stack.js';
import { submitAndFinish } from '../helpers/submit.js';

// The web console in a real browser (Debian's chromium, driven through puppeteer-core) over the real pipeline: mail
// submitted over SMTP, relayed to a destination sink that answers with a reply of its own, then found in the console.
// Account A's user finds A's message by recipient and sees the sink's exact reply; B's message is invisible to A, in
// the page and in the API the page calls; a write with the session cookie but without the CSRF token is refused.

const TEMPORAL_UI = 'http://temporal-ui.test:8233';
/** The sink's own final reply: the console must show this text as the destination gave it. */
const sinkReply = `2.0.0 Ok: stored by console-sink as Q${crypto.randomBytes(5).toString('hex').toUpperCase()}`;

let p: Pipeline;
let a: TestAccount;
let b: TestAccount;
let browser: Browser;
const aRcpt = `alice-${crypto.randomBytes(4).toString('hex')}@dest.example`;
const bRcpt = `bob-${crypto.randomBytes(4).toString('hex')}@dest.example`;
let aId: string;
let bId: string;

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run installs it when missing)');
  }
}

before(async () => {
  p = await startPipeline({
    sink: { dataReply: () => ({ code: 250, message: sinkReply }) },
    stack: { env: { TEMPORAL_UI_URL: TEMPORAL_UI } },
  });
  a = await createAccount(p.stack, { name: 'Console A', domain: 'a-corp.example' });
  b = await createAccount(p.stack, { name: 'Console B', domain: 'b-corp.example' });
  // This test is about the console, not DNS: the admin vouches for both sender domains.
  for (const [acct, domain] of [
    [a, 'a-corp.example'],
    [b, 'b-corp.example'],
  ] as const) {
    const verified = await p.stack.api('POST', `/v1/accounts/${acct.accountId}/sender-domains/${domain}/verify`, {
      manual: true,
    });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
  }
  [{ id: aId }, { id: bId }] = await Promise.all([
    submitAndFinish(p.stack, a, {
      from: 'billing@a-corp.example',
      to: aRcpt,
      subject: 'Invoice 4711 for Alice',
      text: 'Your invoice.',
      headers: { 'X-Relay-Tag': 'invoice' },
    }),
    submitAndFinish(p.stack, b, { from: 'news@b-corp.example', to: bRcpt, subject: 'B only', text: 'Hello B.' }),
  ]);
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
});
after(async () => {
  await browser?.close();
  await p?.close();
});

/** A fresh browser context (its own cookies) logged in with `key`; uncaught page errors fail the test. */
async function loggedIn(key: string): Promise<{ page: Page; errors: Error[]; close: () => Promise<void> }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e as Error));
  page.setDefaultTimeout(30_000);
  await page.goto(`${p.stack.apiUrl}/console`);
  await page.waitForSelector('#login-form', { visible: true });
  await page.type('#api-key', key);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#nav', { visible: true });
  // Logged in means the page's own requests carry the session: wait for that, not only for the navigation (under a
  // loaded CI run one write right after the navigation appeared was answered 401, as if without the cookie).
  await page.waitForFunction(async () => (await fetch('/console/session')).ok, { polling: 100, timeout: 10_000 });
  return { page, errors, close: () => context.close() };
}

/** With CONSOLE_SCREENSHOTS=<dir>, saves a full-page screenshot (to look at the pages); otherwise does nothing. */
async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.CONSOLE_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

const text = (page: Page, selector: string): Promise<string> =>
  page.$eval(selector, (el) => (el as HTMLElement).innerText);

/** Waits until the element's text contains `needle` (the page renders asynchronously). */
async function waitForText(page: Page, selector: string, needle: string): Promise<void> {
  await page.waitForFunction(
    (s: string, n: string) => document.querySelector(s)?.textContent?.includes(n) === true,
    {},
    selector,
    needle,
  );
}

/** fetch() from inside the page: the session cookie goes with it, exactly as the console's own calls. */
function pageFetch(
  page: Page,
  method: string,
  path: string,
  o: { body?: unknown; csrf?: boolean } = {},
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async (m: string, u: string, body: string | null, csrf: boolean) => {
      const headers: Record<string, string> = {};
      if (body !== null) headers['content-type'] = 'application/json';
      if (csrf) {
        const s = (await (await fetch('/console/session')).json()) as { csrfToken: string };
        headers['x-csrf-token'] = s.csrfToken;
      }
      const res = await fetch(u, { method: m, headers, body: body ?? undefined });
      const t = await res.text();
      return { status: res.status, body: t ? (JSON.parse(t) as unknown) : null };
    },
    method,
    path,
    o.body === undefined ? null : JSON.stringify(o.body),
    o.csrf === true,
  );
}

test('an account user logs in, finds a sent message by recipient, opens it and sees the destination reply', async () => {
  const { page, errors, close } = await loggedIn(a.apiKey);
  try {
    assert.match(await text(page, '#who'), new RegExp(a.accountId));
    assert.equal(await page.$eval('nav a[href="#/relays"]', (el) => (el as HTMLElement).hidden), true);
    await page.type('#activity-filters input[name=recipient]', aRcpt);
    await page.click('#activity-filters button[type=submit]');
    await page.waitForSelector(`a.message-link[href="#/message/${aId}"]`);
    assert.doesNotMatch(await text(page, '#activity-results'), new RegExp(bId));
    await page.click(`a.message-link[href="#/message/${aId}"]`);
    await waitForText(page, '#recipients', sinkReply);
    const recipients = await text(page, '#recipients');
    assert.match(recipients, new RegExp(aRcpt.replace(/[.]/g, '\\.')));
    assert.match(recipients, /delivered/);
    assert.match(await text(page, '#page'), /Invoice 4711 for Alice/);
    await screenshot(page, 'message-account');
    // The Temporal UI is for operators: no link for an account user.
    assert.equal(await page.$('#workflow-link'), null);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the admin sees the message with a link to its workflow in the Temporal UI', async () => {
  const { page, errors, close } = await loggedIn(p.stack.adminKey);
  try {
    await page.goto(`${p.stack.apiUrl}/console/#/message/${aId}`);
    await waitForText(page, '#recipients', sinkReply);
    const href = await page.$eval('#workflow-link', (el) => el.getAttribute('href'));
    assert.equal(href, `${TEMPORAL_UI}/namespaces/default/workflows/msg-${aId}`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('every page renders for the admin without a script error or a failed call', async () => {
  const { page, errors, close } = await loggedIn(p.stack.adminKey);
  try {
    const pages: Array<[string, string, string]> = [
      ['#/activity', '#activity-results', aId],
      [`#/stats?interval=hour`, '#page', 'Totals'],
      ['#/relays', '#page', 'relay-1'],
      [`#/suppressions?accountId=${a.accountId}`, '#suppressions', 'No suppressed address.'],
      ['#/webhooks', '#page', 'No webhook registered.'],
      [`#/domains?accountId=${a.accountId}`, '#domains', 'a-corp.example'],
    ];
    for (const [hash, selector, needle] of pages) {
      await page.goto(`${p.stack.apiUrl}/console/${hash}`);
      await waitForText(page, selector, needle);
      assert.equal(await page.$('#page [role=alert]'), null, `${hash} shows an error`);
      await screenshot(page, hash.replace(/\W+/g, '-').replace(/^-|-$/g, ''));
    }
    // The stats chart draws one line per series, and the accepted count of the last hour includes both messages.
    await page.goto(`${p.stack.apiUrl}/console/#/stats?interval=hour`);
    await page.waitForSelector('svg.chart polyline[data-series=accepted]');
    assert.equal((await page.$$('svg.chart polyline')).length, 7);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("an account key cannot see another account's message, in the page or in the API the page calls", async () => {
  const { page, close } = await loggedIn(a.apiKey);
  try {
    // The page: B's recipient finds nothing, B's message id is not found.
    await page.goto(`${p.stack.apiUrl}/console/#/activity?recipient=${encodeURIComponent(bRcpt)}`);
    await waitForText(page, '#activity-results', 'No message matches.');
    await page.goto(`${p.stack.apiUrl}/console/#/message/${bId}`);
    await waitForText(page, '#page', '404 message not found');
    // The API with the session cookie: A's message is there, B's is not.
    assert.equal((await pageFetch(page, 'GET', `/v1/messages/${aId}`)).status, 200);
    assert.equal((await pageFetch(page, 'GET', `/v1/messages/${bId}`)).status, 404);
    const list = await pageFetch(page, 'GET', `/v1/messages?recipient=${encodeURIComponent(bRcpt)}`);
    assert.deepEqual(list, { status: 200, body: { items: [], nextCursor: null } });
    // The admin key sees B's message: the 404 above is the account scope, not a missing message.
    assert.equal((await p.stack.api('GET', `/v1/messages/${bId}`)).status, 200);
  } finally {
    await close();
  }
});

test('a write with the session cookie needs the CSRF token: refused with 403 JSON without it', async () => {
  const { page, close } = await loggedIn(a.apiKey);
  try {
    const address = `csrf-${crypto.randomBytes(3).toString('hex')}@dest.example`;
    const refused = await pageFetch(page, 'POST', '/v1/suppressions', { body: { address } });
    assert.equal(refused.status, 403);
    assert.equal((refused.body as { error: { code: string } }).error.code, 'csrf_failed');
    const before = await p.stack.api<{ items: unknown[] }>('GET', `/v1/suppressions?q=${address}`, undefined, a.apiKey);
    assert.equal(before.body.items.length, 0);
    // The same write with the token (as the console sends it) goes through.
    const created = await pageFetch(page, 'POST', '/v1/suppressions', { body: { address }, csrf: true });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // And the console's Suppressions page removes it (a DELETE carrying the token).
    await page.goto(`${p.stack.apiUrl}/console/#/suppressions?q=${encodeURIComponent(address)}`);
    await waitForText(page, '#suppressions', address);
    await page.click('#suppressions button');
    await waitForText(page, '#page', `${address} removed.`);
    const after = await p.stack.api<{ items: unknown[] }>('GET', `/v1/suppressions?q=${address}`, undefined, a.apiKey);
    assert.equal(after.body.items.length, 0);
  } finally {
    await close();
  }
});

test('the session cookie is HttpOnly and SameSite=Strict; a token from another origin or a forged cookie is refused', async () => {
  const login = await fetch(`${p.stack.apiUrl}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: a.apiKey }),
  });
  assert.equal(login.status, 200);
  const setCookie = login.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /^console_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
  const cookie = setCookie.split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const write = (headers: Record<string, string>) =>
    fetch(`${p.stack.apiUrl}/v1/suppressions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ address: `x-${crypto.randomBytes(3).toString('hex')}@dest.example` }),
    });
  assert.equal((await write({ cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' })).status, 403);
  assert.equal((await write({ cookie, 'x-csrf-token': csrfToken, 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await write({ cookie, 'x-csrf-token': `${csrfToken.slice(1)}A` })).status, 403);
  assert.equal((await write({ cookie, 'x-csrf-token': csrfToken })).status, 201);
  const forged = `${cookie.slice(0, -2)}${cookie.endsWith('AA') ? 'BB' : 'AA'}`;
  const res = await fetch(`${p.stack.apiUrl}/v1/messages/${aId}`, { headers: { cookie: forged } });
  assert.equal(res.status, 401);
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unauthorized');
  // A login posted from another site is refused before any cookie is set.
  const crossLogin = await fetch(`${p.stack.apiUrl}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    body: JSON.stringify({ apiKey: a.apiKey }),
  });
  assert.equal(crossLogin.status, 403);
  assert.equal(crossLogin.headers.get('set-cookie'), null);
  // Logging out clears the cookie.
  const logout = await fetch(`${p.stack.apiUrl}/console/logout`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken },
  });
  assert.equal(logout.status, 204);
  assert.match(
    logout.headers.get('set-cookie') ?? '',
    /^console_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/,
  );
});

test('revoking the API key ends its console session at the next request', async () => {
  const key = await p.stack.api<{ id: string; key: string }>('POST', `/v1/accounts/${a.accountId}/api-keys`, {});
  const login = await fetch(`${p.stack.apiUrl}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey: key.body.key }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const read = () => fetch(`${p.stack.apiUrl}/v1/messages/${aId}`, { headers: { cookie } });
  assert.equal((await read()).status, 200);
  assert.equal((await p.stack.api('DELETE', `/v1/accounts/${a.accountId}/api-keys/${key.body.id}`)).status, 204);
  assert.equal((await read()).status, 401);
  assert.equal((await fetch(`${p.stack.apiUrl}/console/session`, { headers: { cookie } })).status, 401);
});

test('GET /v1/messages filters by sender, subject and submission time (the Activity search)', async () => {
  const list = async (q: string) =>
    (
      await p.stack.api<{ items: Array<{ id: string }> }>('GET', `/v1/messages?${q}`, undefined, a.apiKey)
    ).body.items.map((m) => m.id);
  assert.deepEqual(await list('subject=invoice%204711'), [aId]);
  assert.deepEqual(await list('subject=nothing-like-it'), []);
  assert.deepEqual(await list('sender=BILLING@a-corp'), [aId]);
  assert.deepEqual(await list('sender=news@b-corp.example'), []);
  assert.deepEqual(await list('tag=invoice'), [aId]);
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  assert.deepEqual(await list(`since=${hourAgo}&until=${inAnHour}`), [aId]);
  assert.deepEqual(await list(`since=${inAnHour}`), []);
  assert.equal((await p.stack.api('GET', '/v1/messages?since=yesterday', undefined, a.apiKey)).status, 400);
});

test('the console is served from the repository with a strict Content Security Policy', async () => {
  const res = await fetch(`${p.stack.apiUrl}/console/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'; style-src 'self'/);
  const html = await res.text();
  // Every script and stylesheet is a relative path served by the api itself (nothing from a CDN).
  for (const m of html.matchAll(/(?:src|href)="([^"#]+)"/g)) {
    assert.doesNotMatch(m[1]!, /^(https?:)?\/\//, `${m[1]} is not served locally`);
    assert.equal((await fetch(`${p.stack.apiUrl}/console/${m[1]}`)).status, 200, m[1]);
  }
});
