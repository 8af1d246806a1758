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
  /** Links tracked per HTML part (default MAX_TRACKED_LINKS); the ones after it are left as written, byte for byte. */
  maxLinks?: number;
}

/**
 * At most this many links of one HTML part get a tracking URL, as ESPs cap tracked links: it bounds the work per part
 * (a token per link, a splice per link), so a part crafted as one long run of links costs no more per MiB than
 * ordinary markup. Real mail has tens of links, rarely hundreds.
 */
export const MAX_TRACKED_LINKS = 1000;

export interface HtmlRewriteResult {
  html: string;
  links: string[];
  pixel: boolean;
}

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

interface Attribute {
  nameStart: number;
  value: string;
  valueStart: number;
  valueEnd: number;
}
interface Splice {
  start: number;
  end: number;
  text: string;
  breakAt?: number;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/** Rewrites links and adds the open pixel. Returns the new HTML and the original URLs of the rewritten links. */
export function rewriteHtml(html: string, o: HtmlRewriteOptions): HtmlRewriteResult {
  const decode = o.decodeText ?? ((s: string) => s);
  const maxLinks = o.maxLinks ?? MAX_TRACKED_LINKS;
  const splices: Splice[] = [];
  const links: string[] = [];
  let lastBodyClose = -1;

  // Only what tracking reads is kept of a tag: whether it is a link element, its first href, whether it opts out.
  // Names are sliced and lower-cased only when their length could match, and only an href's value is collected, so
  // the cost per tag and per attribute stays small whatever the markup.
  let inLink = false;
  let href: Attribute | undefined;
  let notrack = false;
  let attr: 'href' | 'notrack' | 'other' = 'other';
  let attrNameStart = -1;
  let attrNameEnd = -1;
  let attrValue = '';

  const finishOpenTag = (): void => {
    if (inLink && !notrack) {
      if (href && href.valueStart >= 0 && isTrackableHref(href.value)) {
        const url = href.value.trim().replace(/[\t\n\r]/g, ''); // as browsers read it (WHATWG URL drops tabs and newlines)
        const replacement = o.clickUrl!(url, links.length);
        if (replacement !== undefined) {
          links.push(url);
          splices.push({
            start: href.valueStart,
            end: href.valueEnd,
            text: `"${escapeAttribute(replacement)}"`,
            breakAt: href.nameStart,
          });
        }
      }
    }
    inLink = false;
    href = undefined;
    notrack = false;
  };

  const nameIs = (
    start: number,
    end: number,
    names: ReadonlySet<string>,
    lengths: ReadonlySet<number>,
  ): string | undefined => {
    if (!lengths.has(end - start)) return undefined;
    const name = html.slice(start, end).toLowerCase();
    return names.has(name) ? name : undefined;
  };
  const linkNameLengths = new Set([...linkElements].map((n) => n.length));
  const attrNames = new Set(['href', notrackAttribute]);
  const attrNameLengths = new Set([...attrNames].map((n) => n.length));
  const bodyName = new Set(['body']);
  const bodyNameLength = new Set([4]);

  const cbs: TokenizerCallbacks = {
    onopentagname(start, end) {
      inLink =
        o.clickUrl !== undefined &&
        links.length < maxLinks &&
        nameIs(start, end, linkElements, linkNameLengths) !== undefined;
      href = undefined;
      notrack = false;
    },
    onattribname(start, end) {
      const name = inLink ? nameIs(start, end, attrNames, attrNameLengths) : undefined;
      attr = name === 'href' ? 'href' : name === notrackAttribute ? 'notrack' : 'other';
      attrNameStart = start;
      attrNameEnd = end;
      attrValue = '';
    },
    onattribdata(start, end) {
      if (attr === 'href' && !href) attrValue += decode(html.slice(start, end));
    },
    onattribentity(codepoint) {
      if (attr === 'href' && !href) attrValue += String.fromCodePoint(codepoint);
    },
    onattribend(quote, endIndex) {
      if (attr === 'notrack') notrack = true;
      if (attr !== 'href' || href) return; // the first href wins, as in browsers
      if (quote === QuoteType.NoValue) {
        href = { nameStart: attrNameStart, value: '', valueStart: -1, valueEnd: -1 };
        return;
      }
      // The value (with its quotes) starts at the first non-space after the `=` that follows the name.
      let i = attrNameEnd;
      while (isSpace(html[i])) i++;
      i++; // '='
      while (isSpace(html[i])) i++;
      href = { nameStart: attrNameStart, value: attrValue, valueStart: i, valueEnd: endIndex };
    },
    onopentagend() {
      finishOpenTag();
    },
    onselfclosingtag() {
      finishOpenTag();
    },
    onclosetag(start, end) {
      if (nameIs(start, end, bodyName, bodyNameLength)) lastBodyClose = html.lastIndexOf('<', start);
    },
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onend() {},
    onprocessinginstruction() {},
    ontext() {},
    ontextentity() {},
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
  // The output is built in one pass. What the line-length check needs (the length of the output's last line, whether
  // it holds anything but spaces, where the input's current line ends) is kept up to date as text is appended, never
  // found by scanning the output or the input again: an HTML part of one long line with many links stays linear.
  let out = '';
  let lineLength = 0;
  let lineBlank = true;
  /** The output's last line if `next` were appended: its length and whether it is blank. */
  const lineWith = (next: string): { length: number; blank: boolean } => {
    const nl = next.lastIndexOf('\n');
    if (nl >= 0) return { length: next.length - nl - 1, blank: next.slice(nl + 1).trim() === '' };
    return { length: lineLength + next.length, blank: lineBlank && next.trim() === '' };
  };
  const append = (text: string): void => {
    const line = lineWith(text);
    out += text;
    lineLength = line.length;
    lineBlank = line.blank;
  };
  let nextBreak = -2; // index of the first line break at or after the last position asked for; -2 = not looked up
  const lineEndFrom = (at: number): number => {
    if (nextBreak === -2 || (nextBreak !== -1 && nextBreak < at)) nextBreak = html.indexOf('\n', at);
    return nextBreak < 0 ? html.length : nextBreak;
  };
  let pos = 0;
  for (const s of splices) {
    if (o.maxLineLength !== undefined && s.breakAt !== undefined && s.breakAt >= pos) {
      // The line as it would be: what is already written on it, the new text, the rest of the input line.
      const lineSoFar = lineWith(html.slice(pos, s.start)).length;
      const rest = lineEndFrom(s.end) - s.end;
      const somethingBefore = !lineWith(html.slice(pos, s.breakAt)).blank; // else a break would not shorten it
      if (lineSoFar + s.text.length + rest > o.maxLineLength && somethingBefore) {
        append(html.slice(pos, s.breakAt));
        append(o.newline ?? '\r\n');
        append(html.slice(s.breakAt, s.start));
        append(s.text);
        pos = s.end;
        continue;
      }
    }
    append(html.slice(pos, s.start));
    append(s.text);
    pos = s.end;
  }
  out += html.slice(pos);
  return { html: out, links, pixel };
}
