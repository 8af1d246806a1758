import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startStack } from '../helpers/stack.js';

// A port another process holds is reported (NOT LISTENING in the banner, /readyz without smtp), and the service goes
// on with what it could bind: it must not die on an unhandled 'error' and leave its PostgreSQL and Temporal behind.
test('SMTP ports already in use: each is reported as not listening, the others serve, nothing crashes', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const taken = (holder.address() as net.AddressInfo).port;
  try {
    const stack = await startStack({
      roles: ['ingress', 'api'],
      env: { SMTP_PORTS: `${taken},0`, BOUNCE_SMTP_PORT: String(taken) },
    });
    try {
      const [busy, free] = stack.roles.smtp;
      assert.deepEqual(
        { ok: busy?.ok, port: busy?.port, kind: busy?.kind },
        { ok: false, port: taken, kind: 'submission' },
      );
      assert.match(busy?.error ?? '', /EADDRINUSE/);
      assert.ok(free?.ok && free.port > 0 && free.port !== taken, JSON.stringify(free));
      assert.equal(stack.roles.bounce?.ok, false);
      assert.match(stack.roles.bounce?.error ?? '', /EADDRINUSE/);
      // The listener that did bind answers SMTP.
      const greeting = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(free.port, '127.0.0.1');
        socket.once('error', reject);
        socket.once('data', (d) => {
          socket.destroy();
          resolve(d.toString('utf8'));
        });
      });
      assert.match(greeting, /^220 /);
      const ready = await fetch(`${stack.apiUrl}/readyz`);
      assert.equal(ready.status, 200);
    } finally {
      await stack.close();
    }
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});
