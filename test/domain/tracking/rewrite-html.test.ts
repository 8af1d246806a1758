import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isTrackableHref,
  MAX_TRACKED_LINKS,
  pixelTag,
  rewriteHtml,
} from '../../../src/domain/tracking/rewrite-html.js';

// The HTML rewrite alone: which links are tracked, where the pixel goes, and that nothing else changes.

const click = (url: string, i: number): string => `https://t.test/t/c/${i}-${encodeURIComponent(url)}`;

test('http(s) links in a and area are rewritten; mailto, tel, anchors, relative and other schemes are not', () => {
  const html = [
    '<a href="https://example.com/a">A</a>',
    "<A HREF='http://example.com/b?x=1'>B</A>",
    '<a href=https://example.com/c>C</a>',
    '<map><area shape="rect" coords="0,0,1,1" href="https://example.com/d"></map>',
    '<a href="mailto:sales@example.com">m</a>',
    '<a href="tel:+15551234">t</a>',
    '<a href="#top">anchor</a>',
    '<a href="/relative">r</a>',
    '<a href="javascript:alert(1)">j</a>',
    '<a href="ftp://example.com/f">f</a>',
    '<a name="x">no href</a>',
    '<link href="https://example.com/style.css" rel="stylesheet">',
  ].join('\n');
  const r = rewriteHtml(html, { clickUrl: click });
  assert.deepEqual(r.links, [
    'https://example.com/a',
    'http://example.com/b?x=1',
    'https://example.com/c',
    'https://example.com/d',
  ]);
  assert.equal(r.pixel, false);
  const lines = r.html.split('\n');
  assert.equal(lines[0], `<a href="${click('https://example.com/a', 0)}">A</a>`);
  assert.equal(lines[1], `<A HREF="${click('http://example.com/b?x=1', 1)}">B</A>`);
  assert.equal(lines[2], `<a href="${click('https://example.com/c', 2)}">C</a>`);
  assert.equal(lines[3], `<map><area shape="rect" coords="0,0,1,1" href="${click('https://example.com/d', 3)}"></map>`);
  assert.deepEqual(lines.slice(4), html.split('\n').slice(4), 'untracked links and other elements are unchanged');
});

test('data-relay-notrack leaves the link alone (the attribute stays in the HTML)', () => {
  const html =
    '<p><a data-relay-notrack href="https://example.com/unsubscribe">u</a> <a href="https://example.com/x" data-relay-notrack="1">x</a></p>';
  const r = rewriteHtml(html, { clickUrl: click, pixelUrl: undefined });
  assert.equal(r.html, html);
  assert.deepEqual(r.links, []);
});

test('entities in a link are decoded for the token, and the written value is escaped', () => {
  const r = rewriteHtml('<a href="https://example.com/?a=1&amp;b=2&#38;c=3">x</a>', {
    clickUrl: () => 'https://t.test/t/c/x?y="z"&w',
  });
  assert.deepEqual(r.links, ['https://example.com/?a=1&b=2&c=3']);
  assert.equal(r.html, '<a href="https://t.test/t/c/x?y=&quot;z&quot;&amp;w">x</a>');
});

test('links inside comments, conditional comments, scripts and styles are not touched', () => {
  const html =
    '<!-- <a href="https://example.com/c">c</a> --><!--[if mso]><v:roundrect href="https://example.com/v"><![endif]-->' +
    '<script>var s = \'<a href="https://example.com/s">\';</script><style>a[href="https://example.com/y"]{}</style><a href="https://example.com/real">r</a>';
  const r = rewriteHtml(html, { clickUrl: click });
  assert.deepEqual(r.links, ['https://example.com/real']);
  assert.equal(r.html, html.replace('"https://example.com/real"', `"${click('https://example.com/real', 0)}"`));
});

test('the pixel goes just before the last </body>, or at the end without one', () => {
  const pixel = pixelTag('https://t.test/t/o/tok');
  assert.match(pixel, /^<img src="https:\/\/t\.test\/t\/o\/tok" width="1" height="1" alt="" style="[^"]+" \/>$/);
  const doc = '<html><body>\n<p>Hello</p>\n</BODY >\n</html>\n';
  assert.equal(
    rewriteHtml(doc, { pixelUrl: 'https://t.test/t/o/tok' }).html,
    `<html><body>\n<p>Hello</p>\n${pixel}</BODY >\n</html>\n`,
  );
  const tricky = '<body><p>&lt;/body&gt; in text</p><!-- </body> --><script>"</body>"</script></body>';
  assert.equal(
    rewriteHtml(tricky, { pixelUrl: 'https://t.test/t/o/tok' }).html,
    tricky.replace(/<\/body>$/, `${pixel}</body>`),
  );
  const fragment = '<p>Just a fragment</p>';
  assert.equal(rewriteHtml(fragment, { pixelUrl: 'https://t.test/t/o/tok' }).html, fragment + pixel);
});

test('everything else is kept exactly as written', () => {
  const html =
    '<!DOCTYPE html>\n<html lang=en><head><meta charset="utf-8"><title>T &amp; c</title></head>\n' +
    '<body   style="margin:0"><table><tr><td class=x>caf&eacute; &nbsp; <b>bold</td></tr></table>\n' +
    '<img src="https://example.com/logo.png" alt=\'logo\'><br/>\n<a   href = "https://example.com/x"   target=_blank >x</a></body></html>';
  const r = rewriteHtml(html, { clickUrl: () => 'https://t.test/c', pixelUrl: 'https://t.test/o' });
  assert.equal(
    r.html,
    html
      .replace('href = "https://example.com/x"', 'href = "https://t.test/c"')
      .replace('</body></html>', `${pixelTag('https://t.test/o')}</body></html>`),
  );
});

test('nothing to do returns the input', () => {
  const html = '<p><a href="mailto:x@example.com">x</a></p>';
  assert.equal(rewriteHtml(html, {}).html, html);
  assert.equal(rewriteHtml(html, { clickUrl: click }).html, html);
});

test('a link the caller declines stays as it is', () => {
  const html = '<a href="https://example.com/a">a</a><a href="https://example.com/b">b</a>';
  const r = rewriteHtml(html, { clickUrl: (url) => (url.endsWith('/a') ? undefined : 'https://t.test/c') });
  assert.equal(r.html, '<a href="https://example.com/a">a</a><a href="https://t.test/c">b</a>');
  assert.deepEqual(r.links, ['https://example.com/b']);
});

test('tabs and line breaks inside a link are dropped, as browsers do, so they never reach a Location header', () => {
  assert.deepEqual(rewriteHtml('<a href=" https://example.com/a\r\n/b\tc ">x</a>', { clickUrl: () => 'u' }).links, [
    'https://example.com/a/bc',
  ]);
});

test('isTrackableHref', () => {
  for (const ok of ['https://a.example', 'http://a.example/x', '  HTTPS://A.EXAMPLE/?q  '])
    assert.equal(isTrackableHref(ok), true, ok);
  for (const no of [
    'mailto:a@b',
    'tel:1',
    '#x',
    '/x',
    '//a.example',
    'https://',
    'data:text/html,x',
    'javascript:x',
    '',
  ])
    assert.equal(isTrackableHref(no), false, no);
});

test("decodeText turns a link's bytes into text in the part's charset", () => {
  const latin1Bytes = Buffer.from('<a href="https://example.com/caf\u00e9">x</a>', 'latin1').toString('latin1');
  const utf8 = (s: string): string => new TextDecoder('utf-8').decode(Buffer.from(s, 'latin1'));
  const asUtf8Bytes = Buffer.from('<a href="https://example.com/\u00fcber">x</a>', 'utf8').toString('latin1');
  assert.deepEqual(rewriteHtml(latin1Bytes, { clickUrl: () => 'u' }).links, ['https://example.com/caf\u00e9']);
  assert.deepEqual(rewriteHtml(asUtf8Bytes, { clickUrl: () => 'u', decodeText: utf8 }).links, [
    'https://example.com/\u00fcber',
  ]);
});

test('with maxLineLength, a link that would make its line too long moves to a new line (inside the tag)', () => {
  const link = (i: number): string => `<a class="c" href="https://example.com/${i}">${i}</a> `;
  const line = Array.from({ length: 8 }, (_, i) => link(i)).join('');
  const long = 'https://t.test/t/c/' + 'x'.repeat(150);
  const r = rewriteHtml(`<p>${line}</p>\r\n<p>short <a href="https://example.com/s">s</a></p>`, {
    clickUrl: () => long,
    maxLineLength: 400,
    newline: '\r\n',
  });
  const lines = r.html.split('\r\n');
  for (const l of lines) assert.ok(l.length <= 400, `${l.length}: ${l}`);
  assert.ok(lines.length > 3, 'some links moved');
  assert.equal(r.links.length, 9);
  assert.match(
    r.html,
    /<a class="c" \r\nhref="https:\/\/t\.test/,
    'the break is whitespace inside the tag, before href',
  );
  assert.ok(r.html.endsWith(`<p>short <a href="${long}">s</a></p>`), 'a short line is left as it is');
  assert.equal(
    rewriteHtml(`<p>${line}</p>`, { clickUrl: () => long }).html.includes('\n'),
    false,
    'no limit, no breaks',
  );
  const pixelled = rewriteHtml(`<p>${'x'.repeat(390)}</p></body>`, {
    pixelUrl: long,
    maxLineLength: 400,
    newline: '\n',
  }).html;
  assert.equal(pixelled, `<p>${'x'.repeat(390)}</p>\n${pixelTag(long)}</body>`, 'the pixel too');
});

test('at most maxLinks links of a part are tracked; the ones after it are left byte for byte', () => {
  const link = (i: number): string => `<a href="https://example.com/${i}">${i}</a>`;
  const html = Array.from({ length: 5 }, (_, i) => link(i)).join('');
  const r = rewriteHtml(html, { clickUrl: click, maxLinks: 3 });
  assert.deepEqual(r.links, ['https://example.com/0', 'https://example.com/1', 'https://example.com/2']);
  assert.ok(r.html.endsWith(link(3) + link(4)), 'links past the cap untouched');
  assert.equal(
    r.html.slice(0, r.html.length - (link(3) + link(4)).length).includes('href="https://example.com/'),
    false,
    'the first three rewritten',
  );
  // the default cap applies without the option, and the pixel still goes in after it
  const many = Array.from({ length: MAX_TRACKED_LINKS + 2 }, (_, i) => link(i)).join('') + '</body>';
  const d = rewriteHtml(many, { clickUrl: click, pixelUrl: 'https://t.test/o' });
  assert.equal(d.links.length, MAX_TRACKED_LINKS);
  assert.ok(
    d.html.endsWith(`${link(MAX_TRACKED_LINKS)}${link(MAX_TRACKED_LINKS + 1)}${pixelTag('https://t.test/o')}</body>`),
  );
});
