import fs from 'node:fs';
import net from 'node:net';

/** The kernel's range for ephemeral ports (outgoing connections and `listen(0)`), Linux's default when unreadable. */
export function ephemeralPortRange(): { low: number; high: number } {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    if (Number(low) > 0 && Number(high) >= Number(low)) return { low: Number(low), high: Number(high) };
  } catch {
    // Not Linux, or /proc not mounted.
  }
  return { low: 32768, high: 60999 };
}

const LOWEST_PICKED = 10_000;
const ATTEMPTS = 50;

/**
 * A free TCP port on `host`, for servers that must know their port before they listen (a child process's settings).
 * It is picked below the ephemeral range, because a port inside it can be taken by any outgoing connection (another
 * test's client, a pool's new connection) between this check and the server's listen, seconds later for a service
 * still starting; below it, only another listener can. Where too few ports lie below, the kernel picks.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { low } = ephemeralPortRange();
  const count = low - LOWEST_PICKED;
  for (let i = 0; i < ATTEMPTS && count >= 1_000; i++) {
    const port = LOWEST_PICKED + Math.floor(Math.random() * count);
    if (await portIsFree(port, host)) return port;
  }
  return listenOnce(host, 0);
}

/** Whether a server can listen on `port` of `host` now (it listens and closes again). */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await listenOnce(host, port)) === port;
}

/**
 * Listens on `port` (0: the kernel picks) and closes again; the port listened on, or -1 when that port cannot be
 * listened on (taken, or not ours to take).
 */
function listenOnce(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => (port !== 0 ? resolve(-1) : reject(err)));
    srv.listen(port, host, () => {
      const addr = srv.address();
      const bound = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(bound));
    });
  });
}
