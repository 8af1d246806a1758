import { QuoteType, Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

// The HTML half of open and click tracking, pure: htmlparser2's tokenizer finds where things are, and the output is
// the input with a few spans replaced (link values) and one insertion (the pixel). Nothing else is re-serialised, so
// whitespace, comments, conditional comments, entity spellings and attribute order stay exactly as written.

export interface HtmlRewriteOptions {
  /** Tracking URL of the open pixel; undefined = no pixel. */
  pixelUrl?: string;
  /**
   * The tracking URL for the index-th trackable link (0-based, document order), or undefined to leave it alone;
   * absent = no click tracking.
   */
  clickUrl?: (url: string, index: number) => string | undefined;
  /**
   * Turns a slice of the input into text. The MIME walk hands over each decoded byte as one char (latin1) so that
   * bytes it does not touch come back identical in any ASCII-compatible charset; this decodes a link's bytes in the
   * part's real charset before the URL goes into a token. Default: identity.
   */
  decodeText?: (s: string) => string;
  /**
   * For parts sent without a transfer encoding (7bit/8bit): when a rewritten link would push its line past this many
   * chars (RFC 5322 allows 998), a line break (`newline`) goes before the `href` attribute (whitespace inside a tag).
   */
  maxLineLength?: number;
  newline?: string;
}

export interface HtmlRewriteResult { html: string; links: string[]; pixel: boolean }

/** Elements whose `href` is a followed link in mail clients. */
const linkElements = new Set(['a', 'area']);
const notrackAttribute = 'data-relay-notrack';

/** Only absolute http(s) URLs are tracked; mailto:, tel:, #anchors, relative and other schemes are left alone. */
export function isTrackableHref(href: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(href.trim());
}

/** Escapes a value written inside a double-quoted attribute. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The pixel element: 1x1, no border, no alt text (so a blocked image leaves no visible trace). */
export function pixelTag(url: string): string {
  return `<img src="${escapeAttribute(url)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0;" />`;
}

interface Attribute { name: string; nameStart: number; nameEnd: number; value: string; valueStart: number; valueEnd: number }
interface Splice { start: number; end: number; text: string; breakAt?: number }

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** Rewrites links and adds the open pixel. Returns the new HTML and the original URLs of the rewritten links. */
export function rewriteHtml(html: string, o: HtmlRewriteOptions): HtmlRewriteResult {
  const decode = o.decodeText ?? ((s: string) => s);
  const splices: Splice[] = [];
  const links: string[] = [];
  let lastBodyClose = -1;

  let tagName = '';
  let attributes: Attribute[] = [];
  let attrName = '';
  let attrNameStart = -1;
  let attrNameEnd = -1;
  let attrValue = '';

  const finishOpenTag = (): void => {
    if (o.clickUrl && linkElements.has(tagName) && !attributes.some((a) => a.name === notrackAttribute)) {
      const href = attributes.find((a) => a.name === 'href'); // the first one wins, as in browsers
      if (href && href.valueStart >= 0 && isTrackableHref(href.value)) {
        const url = href.value.trim().replace(/[\t\n\r]/g, ''); // as browsers read it (WHATWG URL drops tabs and newlines)
        const replacement = o.clickUrl(url, links.length);
        if (replacement !== undefined) {
          links.push(url);
          splices.push({ start: href.valueStart, end: href.valueEnd, text: `"${escapeAttribute(replacement)}"`, breakAt: href.nameStart });
        }
      }
    }
    tagName = '';
    attributes = [];
  };

  const cbs: TokenizerCallbacks = {
    onopentagname(start, end) { tagName = html.slice(start, end).toLowerCase(); attributes = []; },
    onattribname(start, end) { attrName = html.slice(start, end).toLowerCase(); attrNameStart = start; attrNameEnd = end; attrValue = ''; },
    onattribdata(start, end) { attrValue += decode(html.slice(start, end)); },
    onattribentity(codepoint) { attrValue += String.fromCodePoint(codepoint); },
    onattribend(quote, endIndex) {
      if (quote === QuoteType.NoValue) {
        attributes.push({ name: attrName, nameStart: attrNameStart, nameEnd: attrNameEnd, value: '', valueStart: -1, valueEnd: -1 });
        return;
      }
      // The value (with its quotes) starts at the first non-space after the `=` that follows the name.
      let i = attrNameEnd;
      while (isSpace(html[i])) i++;
      i++; // '='
      while (isSpace(html[i])) i++;
      attributes.push({ name: attrName, nameStart: attrNameStart, nameEnd: attrNameEnd, value: attrValue, valueStart: i, valueEnd: endIndex });
    },
    onopentagend() { finishOpenTag(); },
    onselfclosingtag() { finishOpenTag(); },
    onclosetag(start, end) {
      if (html.slice(start, end).toLowerCase() === 'body') lastBodyClose = html.lastIndexOf('<', start);
    },
    oncdata() {}, oncomment() {}, ondeclaration() {}, onend() {}, onprocessinginstruction() {}, ontext() {}, ontextentity() {},
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, cbs);
  tokenizer.write(html);
  tokenizer.end();

  let pixel = false;
  if (o.pixelUrl !== undefined) {
    const at = lastBodyClose >= 0 ? lastBodyClose : html.length;
    splices.push({ start: at, end: at, text: pixelTag(o.pixelUrl), breakAt: at });
    pixel = true;
  }

  splices.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  /** The text of the output's last line if `next` were appended. */
  const currentLine = (next: string): string => {
    const nl = next.lastIndexOf('\n');
    return nl >= 0 ? next.slice(nl + 1) : out.slice(out.lastIndexOf('\n') + 1) + next;
  };
  for (const s of splices) {
    if (o.maxLineLength !== undefined && s.breakAt !== undefined && s.breakAt >= pos) {
      // The line as it would be: what is already written on it, the new text, the rest of the input line.
      const lineSoFar = currentLine(html.slice(pos, s.start)).length;
      const nextBreak = html.indexOf('\n', s.end);
      const rest = (nextBreak < 0 ? html.length : nextBreak) - s.end;
      const somethingBefore = currentLine(html.slice(pos, s.breakAt)).trim() !== ''; // else a break would not shorten it
      if (lineSoFar + s.text.length + rest > o.maxLineLength && somethingBefore) {
        out += html.slice(pos, s.breakAt) + (o.newline ?? '\r\n') + html.slice(s.breakAt, s.start) + s.text;
        pos = s.end;
        continue;
      }
    }
    out += html.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  out += html.slice(pos);
  return { html: out, links, pixel };
}
