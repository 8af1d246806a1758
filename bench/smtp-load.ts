// A minimal SMTP load generator over plain TCP (no TLS, no AUTH): `sessions` connections, each sending messages one
// after the other over the same connection until `count` messages have been sent in total. Every message carries
// an X-Bench-Id header so the sink can report its arrival. Used for the end-to-end runs, where we need the moment
// each DATA was accepted (smtp-source does not report it). With --rate <msg/s>, message n is not started before
// start + n/rate (paced load; the default 0 sends back to back). Prints one JSON result line; each accepted message is
// [bench id, epoch ms the 250 to DATA was read, the queue id from "queued as <id>"].
import net from 'node:net';

interface Args {
  host: string;
  port: number;
  sessions: number;
  count: number;
  size: number;
  from: string;
  to: string;
  tag: string;
  rate: number;
}

function parseArgs(argv: string[]): Args {
  const get = (k: string, d?: string): string => {
    const i = argv.indexOf(`--${k}`);
    const v = i >= 0 ? argv[i + 1] : d;
    if (v === undefined) throw new Error(`missing --${k}`);
    return v;
  };
  return {
    host: get('host', '127.0.0.1'),
    port: Number(get('port')),
    sessions: Number(get('sessions')),
    count: Number(get('count')),
    size: Number(get('size', '5120')),
    from: get('from', 'from@example.com'),
    to: get('to', 'to@dest.test'),
    tag: get('tag', 'b'),
    rate: Number(get('rate', '0')),
  };
}

/** Reads complete SMTP replies (last line "ddd ") from a socket. */
function replyReader(sock: net.Socket): () => Promise<string> {
  let buf = '';
  const queue: string[] = [];
  let waiter: ((s: string) => void) | undefined;
  let failed: Error | undefined;
  let failWaiter: ((e: Error) => void) | undefined;
  sock.setEncoding('latin1');
  sock.on('data', (d: string) => {
    buf += d;
    for (;;) {
      const m = /(^|\n)(\d{3}) [^\n]*\n/.exec(buf);
      if (!m) break;
      const end = m.index + m[0].length;
      queue.push(buf.slice(0, end).trimEnd());
      buf = buf.slice(end);
    }
    while (queue.length && waiter) {
      const w = waiter;
      waiter = undefined;
      failWaiter = undefined;
      w(queue.shift()!);
    }
  });
  const fail = (e: Error): void => {
    failed = e;
    failWaiter?.(e);
  };
  sock.on('error', fail);
  sock.on('close', () => fail(new Error('connection closed')));
  return () =>
    new Promise((resolve, reject) => {
      if (queue.length) return resolve(queue.shift()!);
      if (failed) return reject(failed);
      waiter = resolve;
      failWaiter = reject;
    });
}

function body(a: Args, id: string): string {
  const headers = [
    `From: <${a.from}>`,
    `To: <${a.to}>`,
    `Subject: bench ${id}`,
    `Message-Id: <${id}@bench.localhost>`,
    `X-Bench-Id: ${id}`,
    `Date: ${new Date().toUTCString()}`,
    '',
  ];
  const line = 'X'.repeat(78);
  const lines: string[] = [];
  for (let n = 0; n * 80 < a.size; n++) lines.push(line);
  return [...headers, ...lines].join('\r\n') + '\r\n.\r\n';
}

const args = parseArgs(process.argv.slice(2));
let next = 0;
const accepted: Array<[string, number, string]> = [];
const errors: string[] = [];
const startMs = Date.now();

async function session(n: number): Promise<void> {
  const sock = net.connect({ host: args.host, port: args.port });
  sock.setNoDelay(true);
  const read = replyReader(sock);
  const cmd = async (line: string, expect: RegExp): Promise<string> => {
    sock.write(line + '\r\n');
    const r = await read();
    if (!expect.test(r)) throw new Error(`${line.split(':')[0]} → ${r}`);
    return r;
  };
  try {
    const greeting = await read();
    if (!/^220/.test(greeting)) throw new Error(`greeting ${greeting}`);
    await cmd(`EHLO load-${n}.bench.localhost`, /^250/);
    while (next < args.count) {
      const seq = next++;
      const id = `${args.tag}-${seq}`;
      const wait = args.rate > 0 ? startMs + (seq * 1000) / args.rate - Date.now() : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        await cmd(`MAIL FROM:<${args.from}>`, /^250/);
        await cmd(`RCPT TO:<${args.to}>`, /^250/);
        await cmd('DATA', /^354/);
        sock.write(body(args, id));
        const r = await read();
        if (!/^250/.test(r)) throw new Error(`DATA end → ${r}`);
        accepted.push([id, Date.now(), /queued as (\S+)/.exec(r)?.[1] ?? '']);
      } catch (err) {
        errors.push(String(err));
        if (errors.length > 20) throw err;
        await cmd('RSET', /^250/).catch(() => undefined);
      }
    }
    await cmd('QUIT', /^221/).catch(() => undefined);
  } catch (err) {
    errors.push(String(err));
  } finally {
    sock.destroy();
  }
}

await Promise.all(Array.from({ length: args.sessions }, (_, i) => session(i)));
const endMs = Date.now();
process.stdout.write(
  JSON.stringify({ startMs, endMs, accepted, errors: errors.slice(0, 5), errorCount: errors.length }) + '\n',
);
