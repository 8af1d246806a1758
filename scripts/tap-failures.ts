// Collects the failed tests from node's TAP output as it streams past, so the test driver can repeat them at the very
// end: a CI log is often read from its tail, and a failure hundreds of lines above it is easy to miss or cut off.
const MAX_FAILURES = 20;
const MAX_LINES_PER_FAILURE = 40;

interface Failure {
  title: string;
  details: string[];
}

export class TapFailures {
  private readonly failures: Failure[] = [];
  private omitted = 0;
  private current: { failure: Failure; indent: number; inBlock: boolean } | undefined;

  /** Feeds one line of TAP output (without its line ending). */
  line(text: string): void {
    const notOk = /^(\s*)not ok \d+ - (.*)$/.exec(text);
    if (notOk) {
      const indent = notOk[1]!.length;
      if (this.failures.length >= MAX_FAILURES) {
        this.omitted++;
        this.current = undefined;
        return;
      }
      const failure = { title: notOk[2]!.slice(0, 300), details: [] };
      this.failures.push(failure);
      this.current = { failure, indent, inBlock: false };
      return;
    }
    const current = this.current;
    if (!current) return;
    const trimmed = text.trim();
    const lineIndent = text.length - text.trimStart().length;
    if (!current.inBlock) {
      // The YAML block with the error starts on the line right after "not ok"; anything else ends the failure.
      if (trimmed === '---' && lineIndent === current.indent + 2) current.inBlock = true;
      else this.current = undefined;
      return;
    }
    if (trimmed === '...' && lineIndent === current.indent + 2) {
      this.current = undefined;
      return;
    }
    if (current.failure.details.length < MAX_LINES_PER_FAILURE) {
      current.failure.details.push(text.slice(current.indent + 2, current.indent + 2 + 300));
    }
  }

  /** The summary to print last; empty when nothing failed. */
  summary(): string {
    if (this.failures.length === 0) return '';
    const out = [`# ${this.failures.length + this.omitted} failed test(s) (a file that failed is listed too):`];
    for (const f of this.failures) {
      out.push(`# not ok - ${f.title}`);
      for (const d of f.details) out.push(`#   ${d}`);
    }
    if (this.omitted > 0) out.push(`# ... and ${this.omitted} more, see above`);
    return out.join('\n') + '\n';
  }
}
