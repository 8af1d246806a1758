import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, startStack, type Stack, type TestAccount } from '../helpers/stack.js';
import { SmtpChat, isWellFormedReply, openSubmission } from '../helpers/smtp-chat.js';

// Whatever is revoked or deleted takes effect at once over SMTP, including on sessions that are already open.
let stack: Stack;

type SmtpCredItem = { username: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
type IpCredItem = { id: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

before(async () => {
  stack = await startStack({ roles: ['ingress', 'api'], env: { SMTP_PLAIN_PORT: '0' } });
});
after(async () => {
  await stack.close();
});

const expectReply = async (chat: SmtpChat, line: string, pattern: RegExp): Promise<void> => {
  const reply = await chat.send(line);
  assert.ok(isWellFormedReply(reply), reply);
  assert.match(reply, pattern, `${line} → ${reply}`);
};

test('a revoked SMTP credential: the open session gets 535 at its next MAIL, a new AUTH gets 535', async () => {
  const acc: TestAccount = await createAccount(stack, { name: 'Smtp', domain: 'smtp.test', cidr: '127.0.0.0/8' });
  const list = async (): Promise<SmtpCredItem | undefined> =>
    (
      await stack.api<{ items: SmtpCredItem[] }>('GET', `/v1/accounts/${acc.accountId}/smtp-credentials`)
    ).body.items.find((c) => c.username === acc.username);
  assert.equal((await list())?.lastUsedAt, null);

  const chat = await openSubmission(stack.submissionPort, acc.username, acc.password);
  const used = await list();
  assert.ok(used?.lastUsedAt, 'AUTH sets lastUsedAt');
  assert.ok(!Number.isNaN(Date.parse(used.createdAt)));
  await expectReply(chat, 'MAIL FROM:<app@smtp.test>', /^250 /);
  await expectReply(chat, 'RSET', /^250 /);
  // A second AUTH within the minute leaves it as it was: last use is kept to the minute, not rewritten per session.
  const again = await openSubmission(stack.submissionPort, acc.username, acc.password);
  again.close();
  assert.equal((await list())?.lastUsedAt, used.lastUsedAt);

  const del = await stack.api('DELETE', `/v1/accounts/${acc.accountId}/smtp-credentials/${acc.username}`);
  assert.equal(del.status, 204);
  await expectReply(chat, 'MAIL FROM:<app@smtp.test>', /^535 5\.7\.8 .*revoked/);
  chat.close();

  await assert.rejects(openSubmission(stack.submissionPort, acc.username, acc.password), /AUTH refused: 535 5\.7\.8 /);
  assert.ok((await list())?.revokedAt, 'the revoked credential stays listed with revokedAt');
});

test('a deleted sender domain → 553 5.7.1 and a deleted allowed IP → 554 5.7.1 at the next MAIL', async () => {
  const acc = await createAccount(stack, { name: 'Lists', domain: 'lists.test', cidr: '' });
  await stack.api('POST', `/v1/accounts/${acc.accountId}/sender-domains`, { domain: 'other.test', verified: 'manual' });
  const aip = await stack.api<{ id: string }>('POST', `/v1/accounts/${acc.accountId}/allowed-ips`, {
    cidr: '127.0.0.0/8',
  });
  assert.equal(aip.status, 201);
  const chat = await openSubmission(stack.submissionPort, acc.username, acc.password);
  await expectReply(chat, 'MAIL FROM:<app@lists.test>', /^250 /);
  await expectReply(chat, 'RSET', /^250 /);

  assert.equal((await stack.api('DELETE', `/v1/accounts/${acc.accountId}/sender-domains/lists.test`)).status, 204);
  await expectReply(chat, 'MAIL FROM:<app@lists.test>', /^553 5\.7\.1 /);
  await expectReply(chat, 'MAIL FROM:<app@other.test>', /^250 /);
  await expectReply(chat, 'RSET', /^250 /);

  assert.equal((await stack.api('DELETE', `/v1/accounts/${acc.accountId}/allowed-ips/${aip.body.id}`)).status, 204);
  await expectReply(chat, 'MAIL FROM:<app@other.test>', /^554 5\.7\.1 /);
  chat.close();
});

test('a revoked IP credential refuses the plain port at once; a deleted trust zone refuses at connect', async () => {
  const zone = await stack.api<{ id: string }>('POST', '/v1/trust-zones', { cidr: '127.0.0.0/8', name: 'loopback' });
  assert.equal(zone.status, 201);
  const acc = await createAccount(stack, { name: 'Printer', domain: 'printer.test', cidr: '127.0.0.0/8' });
  const ipc = await stack.api<{ id: string }>('POST', `/v1/accounts/${acc.accountId}/ip-credentials`, {
    cidr: '127.0.0.9/32',
  });
  assert.equal(ipc.status, 201);
  const list = async (): Promise<IpCredItem | undefined> =>
    (await stack.api<{ items: IpCredItem[] }>('GET', `/v1/accounts/${acc.accountId}/ip-credentials`)).body.items.find(
      (c) => c.id === ipc.body.id,
    );
  assert.equal((await list())?.lastUsedAt, null);

  const device = await SmtpChat.connect(stack.plainPort!, '127.0.0.1', '127.0.0.9');
  assert.match(device.greeting, /^220 /);
  await expectReply(device.chat, 'EHLO printer', /^250/);
  await expectReply(device.chat, 'MAIL FROM:<scan@printer.test>', /^250 /);
  await expectReply(device.chat, 'RSET', /^250 /);
  assert.ok((await list())?.lastUsedAt, 'MAIL on the plain port sets lastUsedAt');

  assert.equal((await stack.api('DELETE', `/v1/accounts/${acc.accountId}/ip-credentials/${ipc.body.id}`)).status, 204);
  await expectReply(device.chat, 'MAIL FROM:<scan@printer.test>', /^535 5\.7\.8 .*revoked/);
  device.chat.close();
  const again = await SmtpChat.connect(stack.plainPort!, '127.0.0.1', '127.0.0.9');
  await expectReply(again.chat, 'EHLO printer', /^250/);
  await expectReply(again.chat, 'MAIL FROM:<scan@printer.test>', /^530 5\.7\.0 /);
  again.chat.close();

  const inside = await SmtpChat.connect(stack.plainPort!);
  assert.match(inside.greeting, /^220 /);
  inside.chat.close();
  assert.equal((await stack.api('DELETE', `/v1/trust-zones/${zone.body.id}`)).status, 204);
  const outside = await SmtpChat.connect(stack.plainPort!);
  assert.match(outside.greeting, /^554 5\.7\.1 /);
  outside.chat.close();
});
