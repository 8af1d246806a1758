import { Parser } from 'htmlparser2';

// The text a reader sees in an HTML part, for reading what it says (a bounce notice sent as HTML only): htmlparser2
// decodes every character reference ("doesn&#39;t", "&lt;a@b&gt;", "&nbsp;"), block elements and line breaks become
// line breaks so that line-oriented readers still see the notice's lines, and style and script contents are left out.

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
const HIDDEN = new Set(['style', 'script', 'head', 'title']);

export function htmlToText(html: string): string {
  const out: string[] = [];
  let hidden = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (HIDDEN.has(name)) hidden++;
        else if (BLOCKS.has(name)) out.push('\n');
      },
      onclosetag(name, implied) {
        if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
        else if (BLOCKS.has(name) && name !== 'br' && !implied) out.push('\n');
      },
      ontext(text) {
        if (hidden === 0) out.push(text.replace(/\u00a0/g, ' '));
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}
