// Run as its own process by large-message-send.test.ts, under a small heap: sends one message of `mib` MiB of `line`
// repeated (then a last line "end") over SMTP to a receiver in this process, either as the relay delivers
// (deliverOverSmtp) or as the MDE hands a copy to a relay (nodemailer's sendMail with the message from
// messageForData), and prints the SHA-256 of what the receiver got and the reply to DATA.
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { deliverOverSmtp } from '../../src/relay/smtp-delivery.js';
import { messageForData } from '../../src/smtp/message-for-data.js';
import { applyDataDotsPatch } from '../../src/smtp/data-dots-patch.js';
import { LARGE_MESSAGE_HEAD, repeatedLines } from '../helpers/large-messages.js';

const [how, mib, line] = [process.argv[2], Number(process.argv[3]), JSON.parse(process.argv[4] ?? '""') as string];
const raw = Buffer.from(LARGE_MESSAGE_HEAD + repeatedLines(mib, line), 'latin1');
// The receiver reads DATA as our own SMTP servers do.
applyDataDotsPatch();
const received = crypto.createHash('sha256');
const receiver = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  size: 64 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', (c: Buffer) => received.update(c));
    stream.on('end', () => callback());
  },
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const port = (receiver.server.address() as { port: number }).port;
let reply: string;
if (how === 'delivery') {
  const report = await deliverOverSmtp({
    hosts: [{ host: '127.0.0.1', port }],
    from: 'bounces@shop.test',
    to: ['alice@dest.test'],
    raw,
    sourceIp: '127.0.0.1',
    heloName: 'relay.test',
  });
  reply = String(report.replies.get('alice@dest.test')?.code);
} else {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, pool: true });
  const info = await transport.sendMail({
    envelope: { from: 'bounces@shop.test', to: ['alice@dest.test'] },
    raw: messageForData(raw),
  });
  reply = info.response.slice(0, 3);
  transport.close();
}
receiver.close();
process.stdout.write(`${reply} ${received.digest('base64')}`);
