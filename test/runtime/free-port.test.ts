import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ephemeralPortRange, freePort } from '../../src/infra/free-port.js';

// A port chosen before a child process listens on it must not be one an outgoing connection can take meanwhile.
test('freePort gives a port outside the kernel’s ephemeral range, and a server can listen on it', async () => {
  const { low, high } = ephemeralPortRange();
  const ports = new Set<number>();
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    assert.ok(port < low || port > high, `port ${port} is inside the ephemeral range ${low}-${high}`);
    ports.add(port);
  }
  assert.ok(ports.size > 1, 'different calls pick different ports');
  const port = [...ports][0]!;
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => srv.close(resolve));
});

test('freePort passes over a port that is taken', async () => {
  // 200 ports held at once: later picks fall on held ones now and then (about 1% each) and must pass over them.
  const held: net.Server[] = [];
  const heldPorts = new Set<number>();
  try {
    for (let i = 0; i < 200; i++) {
      const port = await freePort();
      const srv = net.createServer();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, '127.0.0.1', resolve);
      });
      held.push(srv);
      heldPorts.add(port);
    }
    assert.equal(heldPorts.size, 200, 'no port was given twice while it was held');
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
});
