// Run as its own process by relaxed-body-hash.test.ts, under a small heap: signs one copy whose body is `mib` MiB of
// `line` repeated and then a last line "end", and prints the signature's body hash (bh=).
import crypto from 'node:crypto';
import { dkimSignCopy } from '../../src/sender-auth/dkim-sign.js';
import { generateDkimKey } from '../../src/sender-auth/dkim-keys.js';
import { LARGE_MESSAGE_HEAD, repeatedLines } from '../helpers/large-messages.js';

const [mib, line] = [Number(process.argv[2]), JSON.parse(process.argv[3] ?? '""') as string];
const key = await generateDkimKey(new Date());
const signed = await dkimSignCopy(
  Buffer.from(LARGE_MESSAGE_HEAD + repeatedLines(mib, line), 'latin1'),
  { domain: 'shop.test', selector: key.selector, privateKey: crypto.createPrivateKey(key.privateKeyPem) },
  new Date(),
);
const field = signed.toString('latin1', 0, signed.indexOf('\r\nFrom:')).replace(/\r\n[ \t]+/g, ' ');
process.stdout.write(/\bbh=([^;\s]+)/.exec(field)?.[1] ?? '');
