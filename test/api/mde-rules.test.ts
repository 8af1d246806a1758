import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type Stack } from '../helpers/stack.js';

// Routing rules through the admin API: contract shapes, validation that names each problem, optimistic versions,
// reorder, and writes that stay consistent when many arrive at once.
let stack: Stack;

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
interface Rule {
  id: string;
  priority: number;
  version: number;
  match: Record<string, string>;
  pool: string;
  description: string | null;
}
type List = { items: Rule[] };

const list = async (): Promise<Rule[]> => (await stack.api<List>('GET', '/v1/mde/rules')).body.items;
const clearRules = async (): Promise<void> => {
  for (const r of await list()) assert.equal((await stack.api('DELETE', `/v1/mde/rules/${r.id}`)).status, 204);
};
const byEvaluationOrder = (a: Rule, b: Rule): number =>
  a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

before(async () => {
  stack = await startStack({ roles: ['api'] });
  for (const name of ['default', 'otp', 'bulk'])
    assert.equal((await stack.api('POST', '/v1/ip-pools', { name })).status, 201);
  assert.equal(
    (await stack.api('PUT', '/v1/mde/groups/gmail', { domains: ['gmail.com', 'googlemail.com'] })).status,
    201,
  );
});
after(async () => {
  await stack.close();
});

test('create, list in evaluation order, update with a version, delete', async () => {
  const catchAll = await stack.api<Rule>('POST', '/v1/mde/rules', {
    priority: 1000,
    match: {},
    pool: 'default',
    description: 'everything else',
  });
  assert.equal(catchAll.status, 201);
  assert.match(catchAll.body.id, /^rule_/);
  assert.equal(catchAll.body.version, 1);
  assert.deepEqual(catchAll.body.match, {});
  const gmail = await stack.api<Rule>('POST', '/v1/mde/rules', {
    priority: 10,
    match: { recipientDomain: 'group:GMAIL' },
    pool: 'otp',
  });
  assert.equal(gmail.status, 201);
  assert.deepEqual(gmail.body.match, { recipientDomain: 'group:gmail' });
  const bulk = await stack.api<Rule>('POST', '/v1/mde/rules', {
    priority: 20,
    match: { accountId: 'acc_x', senderDomain: '*.Example.com', tag: 'newsletter', priority: 'bulk' },
    pool: 'bulk',
  });
  assert.equal(bulk.status, 201);
  assert.deepEqual(
    (await list()).map((r) => r.id),
    [gmail.body.id, bulk.body.id, catchAll.body.id],
  );

  const moved = await stack.api<Rule>('PATCH', `/v1/mde/rules/${bulk.body.id}`, { priority: 5, version: 1 });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.version, 2);
  assert.deepEqual(moved.body.match, {
    accountId: 'acc_x',
    senderDomain: '*.example.com',
    tag: 'newsletter',
    priority: 'bulk',
  });
  assert.deepEqual(
    (await list()).map((r) => r.id),
    [bulk.body.id, gmail.body.id, catchAll.body.id],
  );
  const stale = await stack.api<ErrorBody>('PATCH', `/v1/mde/rules/${bulk.body.id}`, { pool: 'otp', version: 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  assert.deepEqual(stale.body.error.details, { currentVersion: 2 });
  const unversioned = await stack.api<Rule>('PATCH', `/v1/mde/rules/${bulk.body.id}`, {
    match: { tag: 'news' },
    description: 'bulk mail',
  });
  assert.equal(unversioned.status, 200);
  assert.deepEqual(
    [unversioned.body.version, unversioned.body.match, unversioned.body.pool, unversioned.body.description],
    [3, { tag: 'news' }, 'bulk', 'bulk mail'],
  );
  assert.equal((await stack.api<Rule>('GET', `/v1/mde/rules/${bulk.body.id}`)).body.version, 3);

  assert.equal((await stack.api('DELETE', `/v1/mde/rules/${bulk.body.id}`)).status, 204);
  assert.equal((await stack.api('DELETE', `/v1/mde/rules/${bulk.body.id}`)).status, 404);
  assert.equal((await stack.api('PATCH', `/v1/mde/rules/${bulk.body.id}`, { priority: 1 })).status, 404);
  assert.equal((await stack.api('GET', `/v1/mde/rules/${bulk.body.id}`)).status, 404);
  await clearRules();
});

test('a broken rule cannot be saved: 400 invalid_rule naming each problem, and nothing is stored', async () => {
  const res = await stack.api<ErrorBody>('POST', '/v1/mde/rules', {
    priority: -1,
    pool: 'nope',
    match: { recipientDomain: 'group:yahoo', senderDomain: 'not a domain', tag: '  ' },
  });
  assert.equal(res.status, 400);
  assert.equal(res.body.error.code, 'invalid_rule');
  const details = res.body.error.details as string[];
  assert.equal(details.length, 5, details.join('\n'));
  for (const pattern of [
    /priority must be an integer/,
    /pool "nope" does not exist/,
    /recipientDomain: group "yahoo" does not exist/,
    /senderDomain: "not a domain" is not a domain/,
    /tag: must not be empty/,
  ]) {
    assert.ok(
      details.some((d) => pattern.test(d)),
      `${pattern} in ${details.join(' | ')}`,
    );
    assert.match(res.body.error.message, pattern);
  }
  const unknownKey = await stack.api<ErrorBody>('POST', '/v1/mde/rules', {
    priority: 1,
    pool: 'otp',
    match: { recipientDomian: 'gmail.com' },
  });
  assert.equal(unknownKey.status, 400);
  assert.equal(unknownKey.body.error.code, 'invalid_rule');
  assert.match(unknownKey.body.error.message, /match: .*recipientDomian/);
  const noMatch = await stack.api<ErrorBody>('POST', '/v1/mde/rules', { priority: 1, pool: 'otp' });
  assert.equal(noMatch.status, 400);
  assert.match(noMatch.body.error.message, /match/);
  const wrongType = await stack.api<ErrorBody>('POST', '/v1/mde/rules', { priority: '1', pool: 'otp', match: {} });
  assert.equal(wrongType.status, 400);
  assert.match(wrongType.body.error.message, /priority/);
  assert.deepEqual(await list(), []);

  const ok = await stack.api<Rule>('POST', '/v1/mde/rules', {
    priority: 1,
    pool: 'otp',
    match: { recipientDomain: 'gmail.com' },
  });
  const badEdit = await stack.api<ErrorBody>('PATCH', `/v1/mde/rules/${ok.body.id}`, {
    pool: 'gone',
    match: { recipientDomain: '*.' },
  });
  assert.equal(badEdit.status, 400);
  assert.equal(badEdit.body.error.code, 'invalid_rule');
  assert.equal((badEdit.body.error.details as string[]).length, 2);
  const unchanged = await stack.api<Rule>('GET', `/v1/mde/rules/${ok.body.id}`);
  assert.deepEqual([unchanged.body.version, unchanged.body.pool], [1, 'otp']);
  assert.equal((await stack.api<ErrorBody>('PATCH', `/v1/mde/rules/${ok.body.id}`, {})).status, 400);
  await clearRules();
});

test('reorder assigns priorities 10, 20, 30… and needs exactly the current set of ids', async () => {
  const ids: string[] = [];
  for (const p of [3, 2, 1])
    ids.push(
      (await stack.api<Rule>('POST', '/v1/mde/rules', { priority: p, match: { tag: `t${p}` }, pool: 'otp' })).body.id,
    );
  const wanted = [ids[0]!, ids[2]!, ids[1]!];
  const res = await stack.api<List>('POST', '/v1/mde/rules/reorder', { ids: wanted });
  assert.equal(res.status, 200);
  assert.deepEqual(
    res.body.items.map((r) => [r.id, r.priority]),
    [
      [wanted[0], 10],
      [wanted[1], 20],
      [wanted[2], 30],
    ],
  );
  assert.ok(
    res.body.items.every((r) => r.version === 2),
    'each moved rule counts a version',
  );
  assert.deepEqual(
    (await list()).map((r) => r.id),
    wanted,
  );

  for (const [body, key] of [
    [[ids[0], ids[1]], 'missing'],
    [[...ids, 'rule_other'], 'unknown'],
    [[...ids, ids[0]], 'duplicates'],
  ] as const) {
    const bad = await stack.api<ErrorBody>('POST', '/v1/mde/rules/reorder', { ids: body });
    assert.equal(bad.status, 409, key);
    assert.ok(((bad.body.error.details as Record<string, string[]>)[key] ?? []).length > 0, key);
  }
  assert.deepEqual(
    (await list()).map((r) => [r.id, r.priority]),
    res.body.items.map((r) => [r.id, r.priority]),
  );
  await clearRules();
});

test('concurrent creates, reorders and edits keep one consistent total order and lose no rule', async () => {
  const base: string[] = [];
  for (let i = 0; i < 3; i++)
    base.push(
      (await stack.api<Rule>('POST', '/v1/mde/rules', { priority: 100, match: { tag: `base${i}` }, pool: 'otp' })).body
        .id,
    );
  // 20 creates racing 10 reorders (each reverses the list it read: 409 when a create slipped in between).
  const creates = Array.from({ length: 20 }, (_, i) =>
    stack.api<Rule>('POST', '/v1/mde/rules', { priority: (i * 7) % 50, match: { tag: `c${i}` }, pool: 'bulk' }),
  );
  const reorders = Array.from({ length: 10 }, async () => {
    const ids = (await list()).map((r) => r.id).reverse();
    return stack.api<List | ErrorBody>('POST', '/v1/mde/rules/reorder', { ids });
  });
  const created = await Promise.all(creates);
  const reordered = await Promise.all(reorders);
  assert.ok(created.every((c) => c.status === 201));
  assert.ok(
    reordered.every((r) => r.status === 200 || r.status === 409),
    reordered.map((r) => r.status).join(),
  );
  let rules = await list();
  assert.deepEqual(
    rules.map((r) => r.id).sort(),
    [...base, ...created.map((c) => c.body.id)].sort(),
    'no rule lost or duplicated',
  );
  assert.deepEqual(rules, [...rules].sort(byEvaluationOrder));

  // Reorders of a stable set all succeed, one after the other: the priorities end as exactly 10…N·10, no two equal.
  const all = rules.map((r) => r.id);
  const permutations = Array.from({ length: 10 }, (_, k) => [...all.slice(k), ...all.slice(0, k)]);
  const results = await Promise.all(
    permutations.map((ids) => stack.api<List>('POST', '/v1/mde/rules/reorder', { ids })),
  );
  assert.ok(results.every((r) => r.status === 200));
  rules = await list();
  assert.deepEqual(
    rules.map((r) => r.priority),
    all.map((_, i) => (i + 1) * 10),
  );
  assert.ok(
    permutations.some((p) => p.join() === rules.map((r) => r.id).join()),
    'the order is one of the requested ones, not a mix',
  );

  // Concurrent edits from the same version: exactly one wins.
  const target = rules[0]!;
  const edits = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      stack.api<Rule | ErrorBody>('PATCH', `/v1/mde/rules/${target.id}`, {
        version: target.version,
        description: `edit ${i}`,
      }),
    ),
  );
  assert.equal(edits.filter((e) => e.status === 200).length, 1);
  assert.equal(edits.filter((e) => e.status === 409).length, 7);
  assert.equal((await stack.api<Rule>('GET', `/v1/mde/rules/${target.id}`)).body.version, target.version + 1);
  await clearRules();
});
