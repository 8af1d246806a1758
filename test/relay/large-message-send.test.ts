import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';

// A message whose body is bare line ends (25 MiB, the size limit) or lines of a single dot is sent over SMTP, as the
// relay delivers it and as the MDE hands it to a relay, within a 128 MiB heap, and arrives with CRLF line ends.
// nodemailer's DATA escaping, given such a message whole, holds a slice per byte it inserts: gigabytes. (The dot lines
// are 4 MiB only because the receiver here, smtp-server, takes one event-loop turn per dot it removes: 1 s per MiB.)

const MiB = 1024 * 1024;

test('25 MiB of bare LFs or bare CRs, and 4 MiB of single-dot lines, are sent within a 128 MiB heap, as CRLF lines', async () => {
  for (const how of ['delivery', 'handoff'])
    for (const [line, onTheWire, mib] of [
      ['\n', '\r\n', 25],
      ['x\r', 'x\r\n', 25],
      ['.\r\n', '.\r\n', 4],
    ] as const) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--max-old-space-size=128',
          '--import',
          'tsx',
          'test/relay/send-large-message.ts',
          how,
          String(mib),
          JSON.stringify(line),
        ],
        { maxBuffer: 1024 },
      );
      const body = `${onTheWire.repeat(Math.ceil((mib * MiB) / line.length))}end\r\n`;
      const expected = crypto
        .createHash('sha256')
        .update(`From: billing@shop.test\r\nTo: alice@dest.test\r\nSubject: Report\r\n\r\n${body}`, 'latin1')
        .digest('base64');
      assert.equal(stdout, `250 ${expected}`, `${how}, ${JSON.stringify(line)}`);
    }
});
