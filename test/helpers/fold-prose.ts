import type { BounceMessage } from '../../src/domain/bounces/bounce-message.js';

/**
 * A prose line longer than `width` broken at spaces, each continuation indented `more` spaces deeper: how Postfix folds
 * the lines of its notices (at 80 columns, four spaces), and how other MTAs and relays wrap a long remote reply.
 */
function fold(line: string, width: number, more: number): string[] {
  const indent = `${/^[ \t]*/.exec(line)![0]}${' '.repeat(more)}`;
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length + 4) break;
    out.push(rest.slice(0, cut));
    rest = indent + rest.slice(cut + 1);
  }
  return [...out, rest];
}

/** The message with its prose parts folded at `width` (report fields and JSON notifications fold by their own rules). */
export function foldedProse(msg: BounceMessage, width: number, more = 4): BounceMessage {
  return {
    ...msg,
    parts: msg.parts.map((p) =>
      p.type === 'text/plain' && !p.text.trimStart().startsWith('{')
        ? {
            ...p,
            text: p.text
              .split('\n')
              .flatMap((l) => fold(l, width, more))
              .join('\n'),
          }
        : p,
    ),
  };
}

/** The widths and deeper indents a notice's prose is refolded at to check that folding changes no reading. */
export const FOLDINGS: ReadonlyArray<readonly [width: number, more: number]> = [40, 46, 50, 57, 60, 66, 72].flatMap(
  (width) => [4, 8].map((more) => [width, more] as const),
);
