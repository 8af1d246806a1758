// Load over our submission port with STARTTLS + AUTH: nodemailer with a connection pool of N connections (pool: true,
// maxConnections = N), all messages queued at once. Prints one JSON result line.
import { benchBody, submissionTransport } from './submission-transport.js';

const [port, sessions, count, user, pass] = process.argv.slice(2);
const transport = submissionTransport(Number(port), user!, pass!, Number(sessions));
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
      benchBody,
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
