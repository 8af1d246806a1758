import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// Large hostile messages, built the same way by the processes that send or sign them and by the tests that check
// what came out: a body of one line repeated to a size, then a last line "end".

export const LARGE_MESSAGE_HEAD = 'From: billing@shop.test\r\nTo: alice@dest.test\r\nSubject: Report\r\n\r\n';

/** `line` repeated to fill `mib` MiB, then "end"; `writtenAs` puts another text in each repetition's place. */
export function repeatedLines(mib: number, line: string, writtenAs = line): string {
  return `${writtenAs.repeat(Math.ceil((mib * 1024 * 1024) / line.length))}end\r\n`;
}

/** Runs a TypeScript entry point as its own process with a V8 heap of `heapMiB`, and returns what it printed. */
export async function runInSmallHeap(heapMiB: number, entry: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [`--max-old-space-size=${heapMiB}`, '--import', 'tsx', entry, ...args],
    { maxBuffer: 64 * 1024 },
  );
  return stdout;
}
