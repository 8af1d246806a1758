import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import type { MessageView } from '../../src/db/message-queries.js';
import type { Sink } from './destination-sink.js';
import type { Stack, TestAccount } from './stack.js';
import { waitFor } from './wait-for.js';

// Submitting mail the way an application does (nodemailer, STARTTLS + AUTH) and reading its status back from the API.

export type Mail = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0];

function queuedId(response: string | undefined): string {
  const m = /^250 2\.0\.0 Ok: queued as (\w+)$/.exec(response ?? '');
  assert.ok(m, `unexpected DATA reply: ${response}`);
  return m[1]!;
}

function submissionTransport(stack: Stack, acct: TestAccount, pool?: { maxConnections: number }) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: stack.submissionPort,
    secure: false,
    requireTLS: true,
    ...(pool ? { pool: true, maxConnections: pool.maxConnections } : {}),
    auth: { user: acct.username, pass: acct.password },
    tls: { rejectUnauthorized: false },
  });
}

/** Sends one message through the stack's submission port; returns the id from "250 2.0.0 Ok: queued as <id>". */
export async function submitMail(stack: Stack, acct: TestAccount, mail: Mail): Promise<string> {
  const transport = submissionTransport(stack, acct);
  try {
    return queuedId((await transport.sendMail(mail)).response);
  } finally {
    transport.close();
  }
}

/**
 * Sends n messages at once over four pooled connections, from billing@example.com to `<tag>-user<i>@dest.test`;
 * returns their ids in order.
 */
export async function submitBatch(stack: Stack, acct: TestAccount, n: number, tag: string): Promise<string[]> {
  const transport = submissionTransport(stack, acct, { maxConnections: 4 });
  try {
    const infos = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        transport.sendMail({
          from: 'billing@example.com',
          to: `${tag}-user${i}@dest.test`,
          subject: `${tag} ${i}`,
          text: `message ${i}`,
          messageId: `<${tag}-${i}@example.com>`,
        }),
      ),
    );
    return infos.map((info) => queuedId(info.response));
  } finally {
    transport.close();
  }
}

export async function viewMessage(stack: Stack, acct: TestAccount, id: string): Promise<MessageView> {
  return (await stack.api<MessageView>('GET', `/v1/messages/${id}`, undefined, acct.apiKey)).body;
}

/** A waitFor probe: the view once every recipient is final and the workflow wrote its `completed` event. */
export function finishedMessage(stack: Stack, acct: TestAccount, id: string): () => Promise<MessageView | undefined> {
  return async () => {
    const v = await viewMessage(stack, acct, id);
    const done =
      v.recipients.length > 0 &&
      v.recipients.every((r) => ['delivered', 'bounced', 'failed', 'suppressed'].includes(r.status));
    return done && v.events.some((e) => e.type === 'completed') ? v : undefined;
  };
}

/** Submits one message and waits (up to a minute) until it is finished; returns its id and its final view. */
export async function submitAndFinish(
  stack: Stack,
  acct: TestAccount,
  mail: Mail,
  what = 'message finished',
): Promise<{ id: string; v: MessageView }> {
  const id = await submitMail(stack, acct, mail);
  const v = await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 60_000, what });
  return { id, v };
}

/** How many copies of each of a submitBatch's messages (by Message-ID `<tag>-<i>@…`) the sink has received. */
export function deliveredCopies(sink: Sink, tag: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sink.messages) {
    const id = /Message-ID: <([^>]+)>/i.exec(m.raw.toString())?.[1];
    if (id?.startsWith(`${tag}-`)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
