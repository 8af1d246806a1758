// Load over our submission port with STARTTLS + AUTH: nodemailer with a connection pool of N connections (pool: true,
// maxConnections = N), all messages queued at once. Prints one JSON result line.
import nodemailer from 'nodemailer';

const [port, sessions, count, user, pass] = process.argv.slice(2);
const size = 5120;
const line = 'X'.repeat(78);
const text = Array.from({ length: Math.ceil(size / 80) }, () => line).join('\r\n');
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: Number(port),
  secure: false,
  requireTLS: true,
  auth: { user: user!, pass: pass! },
  tls: { rejectUnauthorized: false },
  pool: true,
  maxConnections: Number(sessions),
  maxMessages: Infinity,
});
const startMs = Date.now();
let ok = 0;
const errors: string[] = [];
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) => {
    const raw = [
      `From: <from@example.com>`,
      `To: <to@dest.test>`,
      `Subject: tls bench ${i}`,
      `Message-Id: <tls-${i}@bench.localhost>`,
      '',
      text,
      '',
    ].join('\r\n');
    return transport.sendMail({ envelope: { from: 'from@example.com', to: ['to@dest.test'] }, raw }).then(
      () => {
        ok++;
      },
      (err: unknown) => {
        errors.push(String(err));
      },
    );
  }),
);
const endMs = Date.now();
transport.close();
process.stdout.write(
  JSON.stringify({ startMs, endMs, ok, errors: errors.slice(0, 5), errorCount: errors.length }) + '\n',
);
