// Linear-time text matching for the classifier's tables. Every text classified here comes from outside (a remote
// server's reply, a bounce someone sent us), so no pattern may backtrack over unbounded text: a regular expression
// like /client host .* rejected.*reverse/ retries its `.*` from every occurrence of its prefix, which is quadratic
// (cubic with two gaps) in the length of a text that repeats the prefix. Patterns with a gap are written instead as
// the pieces around the gap, found in order, each search starting where the previous piece ended: every piece scans
// the text at most once. The pieces themselves hold only bounded repetitions ({0,40}) or runs that stop at a
// delimiter the next piece cannot contain.

/** What a table entry needs: a plain RegExp (no unbounded gap) or one of the matchers below. */
export interface TextPattern {
  test(text: string): boolean;
}

/** Longest text any classifier rule reads, in characters: replies and diagnostics longer than this are cut. */
export const MAX_CLASSIFIED_TEXT = 4096;

/** Cuts untrusted text to `max` characters (never splitting a surrogate pair) before any pattern sees it. */
export function cutText(text: string, max = MAX_CLASSIFIED_TEXT): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * The text as one line, each run of white space one space: a notice folds its lines between any two words (Postfix
 * at its width, a relay refolding narrower), so what spans words is read across the folds.
 */
export function asOneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * A negation contracted ("couldn't", "didnt", "can't", "won't"; with a typographic apostrophe, or an accent or a
 * backtick typed for one), or misspelled as a receiver wrote it (Alibaba Mail's "554 RCPT (a@b) dosn't exist").
 */
const CONTRACTED_NEGATION =
  /\b(?:(does|do|did|is|was|are|were|could|would|should|has|have|had|must|need)n['\u2019\u02bc\u00b4`]?t|(dos)n['\u2019\u02bc\u00b4`]?t|(ca)n(?:['\u2019\u02bc\u00b4`]?t| not)|(wo)n['\u2019\u02bc\u00b4`]?t)\b/gi;

/**
 * The text with each negation written out ("could not", "did not", "cannot", "will not"), so that a pattern names a
 * negation in one spelling whichever the writer chose.
 */
export function negationsWrittenOut(text: string): string {
  return text.replace(CONTRACTED_NEGATION, (_negation, verb?: string, misspelled?: string, can?: string) =>
    verb ? `${verb} not` : misspelled ? 'does not' : can ? 'cannot' : 'will not',
  );
}

/**
 * The text without any of `chars` at its end, found by index: a pattern such as /[.;]+$/ would rescan every run of
 * them that does not end the text.
 */
export function withoutTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

/** How far a line is indented: the white space before its first other character. */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** One pattern that matches where any of `patterns` does (with the first one's flags). */
export function anyOf(...patterns: RegExp[]): RegExp {
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), patterns[0]!.flags);
}

function searching(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
}

/** The first match of `re` at or after `from`, or null. `re` must carry the g flag. */
function findFrom(re: RegExp, text: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(text);
}

/**
 * Characters allowed between one piece of an in-order pattern and the next: a clause of a reply, with room for the
 * host names and addresses it quotes. Texts are read with their line breaks collapsed, so without a bound the pieces
 * could come from different parts of a notice ("banned" in a reply and "recipient" in the prose after it).
 */
export const MAX_PIECE_GAP = 100;

class InOrder implements TextPattern {
  private readonly pieces: RegExp[];

  constructor(pieces: readonly RegExp[]) {
    this.pieces = pieces.map(searching);
  }

  /**
   * Each occurrence of the first piece is tried in turn, each later piece searched from the end of the one before.
   * The next occurrence of every later piece is remembered and reused while it lies ahead, so each piece's search
   * moves forward through the text: one pass per piece, however many occurrences of the first.
   */
  test(text: string): boolean {
    const [head, ...rest] = this.pieces;
    const ahead: Array<{ from: number; match: RegExpExecArray | null } | undefined> = [];
    let from = 0;
    for (;;) {
      const first = findFrom(head!, text, from);
      if (!first) return false;
      let at = first.index + first[0].length;
      let chained = true;
      for (let k = 0; k < rest.length && chained; k++) {
        let next = ahead[k];
        if (next === undefined || next.from > at || (next.match !== null && next.match.index < at)) {
          next = { from: at, match: findFrom(rest[k]!, text, at) };
          ahead[k] = next;
        }
        // no occurrence ahead at all: later tries start further on and cannot find one either
        if (next.match === null) return false;
        if (next.match.index - at > MAX_PIECE_GAP) chained = false;
        else at = next.match.index + next.match[0].length;
      }
      if (chained) return true;
      from = first.index + 1;
    }
  }

  toString(): string {
    return this.pieces.map((p) => `/${p.source}/`).join(' … ');
  }
}

/**
 * The pieces in order, at most MAX_PIECE_GAP characters between one and the next: /A.{0,100}B/ without the
 * backtracking.
 */
export function inOrder(...pieces: RegExp[]): TextPattern {
  return new InOrder(pieces);
}

/**
 * A full stop: a dot before a blank, another dot or the end. The dots inside an IP address, a host name or a status
 * code ("192.0.2.1", "mx.example.net", "5.7.1") end no sentence; the rules' gaps within one sentence are written to
 * match as this does, `(?:[^.]|\.(?=[^\s.])){0,n}`.
 */
const FULL_STOP = /\.(?![^\s.])/g;

function fullStopFrom(text: string, from: number): number {
  FULL_STOP.lastIndex = from;
  return FULL_STOP.exec(text)?.index ?? -1;
}

class WithinSentence implements TextPattern {
  private readonly first: RegExp;
  private readonly second: RegExp;

  constructor(first: RegExp, second: RegExp) {
    this.first = searching(first);
    this.second = searching(second);
  }

  /**
   * Every search moves forward only: after an occurrence of `first` whose sentence holds no `second`, the next try
   * starts after that sentence's full stop, and the occurrence of `second` already found is reused while it lies
   * ahead. Neither piece may itself match a full stop.
   */
  test(text: string): boolean {
    let from = 0;
    let next: RegExpExecArray | null | undefined;
    for (;;) {
      const a = findFrom(this.first, text, from);
      if (!a) return false;
      const end = a.index + a[0].length;
      const stop = fullStopFrom(text, end);
      if (next === undefined || (next !== null && next.index < end)) next = findFrom(this.second, text, end);
      if (next === null) return false;
      if (stop < 0 || next.index <= stop) return true;
      from = stop + 1;
    }
  }

  toString(): string {
    return `/${this.first.source}/ … /${this.second.source}/ (same sentence)`;
  }
}

/** `first` then `second` with no full stop between them: /A(?:[^.]|\.(?=[^\s.]))*B/ without the backtracking. */
export function withinSentence(first: RegExp, second: RegExp): TextPattern {
  return new WithinSentence(first, second);
}

/**
 * `pattern` matches and `veto` matches nowhere in the text: two linear scans. For a verdict whose subject another
 * phrase of the same text would change ("sender blocked" is about the sender unless the text names the sending IP).
 */
export function unlessAlso(pattern: RegExp, veto: RegExp): TextPattern {
  return new UnlessAlso(pattern, veto);
}

class UnlessAlso implements TextPattern {
  constructor(
    private readonly pattern: RegExp,
    private readonly veto: RegExp,
  ) {}

  test(text: string): boolean {
    return this.pattern.test(text) && !this.veto.test(text);
  }

  toString(): string {
    return `/${this.pattern.source}/ unless /${this.veto.source}/`;
  }
}
