// One message at a time over one reused submission connection (STARTTLS + AUTH PLAIN, nodemailer with a pool of one
// connection), offered at a fixed rate: message n is handed to nodemailer at start + n/rate. Each carries an
// X-Bench-Id header so the sink reports its arrival. Prints one JSON result line; each accepted message is
// [bench id, epoch ms it was handed to nodemailer, epoch ms the 250 to its DATA was read].
//
//   tsx bench/submission-latency.ts <port> <user> <pass> <count> <rate msg/s> <tag>
import { benchBody, submissionTransport } from './submission-transport.js';

const [port, user, pass, countArg, rateArg, tag] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg);
const transport = submissionTransport(Number(port), user!, pass!, 1);
const accepted: Array<[string, number, number]> = [];
const errors: string[] = [];
const startMs = Date.now();
const sends: Array<Promise<void>> = [];
for (let n = 0; n < count; n++) {
  const due = startMs + (n * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const id = `${tag}-${n}`;
  const raw = [
    'From: <from@example.com>',
    'To: <to@dest.test>',
    `Subject: latency ${n}`,
    `Message-Id: <${id}@bench.localhost>`,
    `X-Bench-Id: ${id}`,
    '',
    benchBody,
    '',
  ].join('\r\n');
  const handedMs = Date.now();
  sends.push(
    transport.sendMail({ envelope: { from: 'from@example.com', to: ['to@dest.test'] }, raw }).then(
      () => void accepted.push([id, handedMs, Date.now()]),
      (err: unknown) => void errors.push(String(err)),
    ),
  );
}
await Promise.all(sends);
transport.close();
process.stdout.write(
  JSON.stringify({ startMs, endMs: Date.now(), accepted, errors: errors.slice(0, 5), errorCount: errors.length }) +
    '\n',
);
