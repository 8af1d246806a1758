import { Tokenizer } from 'htmlparser2';

// The text a reader sees in an HTML part, for reading what it says (a bounce notice sent as HTML only). htmlparser2's
// tokenizer (no element tree, so nesting costs nothing: one pass) finds tags and decodes every character reference
// ("doesn&#39;t", "&lt;a@b&gt;", "&nbsp;"); white space is collapsed as a browser collapses it (a line break in the
// source is a space, except inside <pre>); block elements and <br> are the line breaks, so line-oriented readers see
// the lines the reader sees; the contents of style, script and title are left out.

const BLOCKS = new Set([
  'br',
  'p',
  'div',
  'tr',
  'li',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'blockquote',
  'hr',
]);
const HIDDEN = new Set(['style', 'script', 'title']);

export function htmlToText(html: string): string {
  const out: string[] = [];
  let hidden = 0;
  let pre = 0;
  let lineStart = true;
  const name = (start: number, end: number): string => html.slice(start, end).toLowerCase();
  // a line break; the collapsed space before it is not shown (only ever one: runs are collapsed)
  const newline = (): void => {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.endsWith(' ')) out[last] = out[last]!.slice(0, -1);
    out.push('\n');
    lineStart = true;
  };
  const text = (raw: string): void => {
    if (hidden > 0) return;
    if (pre > 0) {
      out.push(raw.replace(/\u00a0/g, ' '));
      lineStart = raw.endsWith('\n');
      return;
    }
    // a browser shows a run of white space as one space, and none at the start of a line
    let t = raw.replace(/[ \t\r\n\f]+/g, ' ');
    if (lineStart || out[out.length - 1]?.endsWith(' ')) t = t.replace(/^ /, '');
    if (!t) return;
    out.push(t.replace(/\u00a0/g, ' '));
    lineStart = false;
  };
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname(start, end) {
        const tag = name(start, end);
        if (HIDDEN.has(tag)) hidden++;
        else if (BLOCKS.has(tag)) newline();
        if (tag === 'pre') pre++;
      },
      onclosetag(start, end) {
        const tag = name(start, end);
        if (HIDDEN.has(tag)) hidden = Math.max(0, hidden - 1);
        else if (BLOCKS.has(tag) && tag !== 'br') newline();
        if (tag === 'pre') pre = Math.max(0, pre - 1);
      },
      ontext(start, end) {
        text(html.slice(start, end));
      },
      ontextentity(codepoint) {
        // a reference written in the text is shown as its character, never read as markup or collapsed space
        if (hidden > 0) return;
        out.push(codepoint === 0xa0 ? ' ' : String.fromCodePoint(codepoint));
        lineStart = false;
      },
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onopentagend() {},
      onprocessinginstruction() {},
      onselfclosingtag() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return out.join('');
}
