import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { LARGE_MESSAGE_HEAD, repeatedLines, runInSmallHeap } from '../helpers/large-messages.js';

// A message whose body is bare line ends (25 MiB, the size limit) or lines of a single dot is sent over SMTP, as the
// relay delivers it and as the MDE hands it to a relay, within a 128 MiB heap, and arrives with CRLF line ends.
// nodemailer's DATA escaping, given such a message whole, holds a slice per byte it inserts: gigabytes. (The dot lines
// are 4 MiB only because the receiver here, smtp-server, takes one event-loop turn per dot it removes: 1 s per MiB.)

test('25 MiB of bare LFs or bare CRs, and 4 MiB of single-dot lines, are sent within a 128 MiB heap, as CRLF lines', async () => {
  for (const how of ['delivery', 'handoff'])
    for (const [line, onTheWire, mib] of [
      ['\n', '\r\n', 25],
      ['x\r', 'x\r\n', 25],
      ['.\r\n', '.\r\n', 4],
    ] as const) {
      const printed = await runInSmallHeap(128, 'test/relay/send-large-message.ts', [
        how,
        String(mib),
        JSON.stringify(line),
      ]);
      const expected = crypto
        .createHash('sha256')
        .update(LARGE_MESSAGE_HEAD + repeatedLines(mib, line, onTheWire), 'latin1')
        .digest('base64');
      assert.equal(printed, `250 ${expected}`, `${how}, ${JSON.stringify(line)}`);
    }
});
