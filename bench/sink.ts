// The destination for both our relays and Postfix: the tests' real SMTP sink (no STARTTLS, so both MTAs deliver in
// plaintext), in its own process so that arrival times are not skewed by the service's event loop in the bench
// process. Prints "READY <port>", then one line per arrival: "A <bench id or -> <epoch ms> <client address>", where the
// time is taken when the sink answers 250 to the end of DATA (test/helpers/destination-sink.ts sets receivedAt just
// before that reply) and the client address is the delivering MTA's source address.
import { applyNoGreetingDelayPatch } from '../src/smtp/greeting-delay-patch.js';
import { startDestinationSink } from '../test/helpers/destination-sink.js';

// smtp-server waits 100 ms before its greeting, which a destination MX need not (Postfix's smtpd greets at once
// unless postscreen is set to pause): without this every new delivery connection, ours and Postfix's alike, would
// wait 100 ms for a reason of the stand-in, not of either MTA. The tests' sinks share the test process, where the
// ingress has applied the same patch already.
applyNoGreetingDelayPatch();
const sink = await startDestinationSink({ starttls: false });
process.stdout.write(`READY ${sink.port}\n`);
let seen = 0;
const idPattern = /^X-Bench-Id: (\S+)/m;
const timer = setInterval(() => {
  if (sink.messages.length === seen) return;
  const lines: string[] = [];
  for (; seen < sink.messages.length; seen++) {
    const m = sink.messages[seen]!;
    const head = m.raw.subarray(0, Math.min(m.raw.length, 4096)).toString('latin1');
    lines.push(`A ${idPattern.exec(head)?.[1] ?? '-'} ${m.receivedAt} ${m.remoteAddress.replace(/^::ffff:/, '')}`);
    m.raw = Buffer.alloc(0); // keep memory flat over thousands of messages
  }
  process.stdout.write(lines.join('\n') + '\n');
}, 20);
const stop = (): void => {
  clearInterval(timer);
  void sink.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop); // the parent went away
process.stdin.resume();
