import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { LARGE_MESSAGE_HEAD, repeatedLines, runInSmallHeap } from '../helpers/large-messages.js';

// A message of 25 MiB (the size limit) whose body is bare line ends or lines of a single dot is sent over SMTP, as
// the relay delivers it and as the MDE hands it to a relay, within a 128 MiB heap, and arrives with CRLF line ends.
// nodemailer's DATA escaping, given such a message whole, holds a slice per byte it inserts: gigabytes.

test('25 MiB of bare LFs, bare CRs or single-dot lines is sent within a 128 MiB heap, as CRLF lines', async () => {
  for (const how of ['delivery', 'handoff'])
    for (const [line, onTheWire] of [
      ['\n', '\r\n'],
      ['x\r', 'x\r\n'],
      ['.\r\n', '.\r\n'],
    ] as const) {
      const printed = await runInSmallHeap(128, 'test/relay/send-large-message.ts', [how, '25', JSON.stringify(line)]);
      const expected = crypto
        .createHash('sha256')
        .update(LARGE_MESSAGE_HEAD + repeatedLines(25, line, onTheWire), 'latin1')
        .digest('base64');
      assert.equal(printed, `250 ${expected}`, `${how}, ${JSON.stringify(line)}`);
    }
});
