import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlToText } from '../../src/domain/mime/html-text.js';

test('the text of an HTML part: references decoded, blocks on their own lines, style and script left out', () => {
  const text = htmlToText(
    '<html><head><title>NDR</title><style>p{color:red}</style></head><body>' +
      '<p>Delivery has failed:</p><p>&lt;a@example.jp&gt;<br>The mailbox doesn&#39;t exist&nbsp;here &amp; now.</p>' +
      '<script>var x = "<p>hidden</p>";</script></body></html>',
  );
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  assert.deepEqual(lines, ['Delivery has failed:', '<a@example.jp>', "The mailbox doesn't exist here & now."]);
});

test('unclosed and stray markup still gives the text around it', () => {
  assert.equal(
    htmlToText('before <b>bold <i>both</b> after < 3 &unknown; &#x41;').replace(/\s+/g, ' '),
    'before bold both after < 3 &unknown; A',
  );
});

test('white space is shown as a browser shows it: a source line break is a space, <pre> keeps its lines', () => {
  assert.equal(
    htmlToText('<p>Delivery has\n   failed to:<br>\n  a@example.jp\n</p><pre>Received: x\n    by y</pre>'),
    '\nDelivery has failed to:\na@example.jp\n\nReceived: x\n    by y\n',
  );
});
