// Bytes in, per-recipient report out: the entry point for the bounce receiver and the offline command.
import { classifyBounce, type BounceReport } from '../domain/bounces/classify-bounce.js';
import { parseBounceMime } from './parse-mime.js';

export function classifyRawBounce(raw: Buffer | string): BounceReport {
  return classifyBounce(parseBounceMime(raw));
}

/** The command's output lines: one per reported recipient, or one not_bounce line. */
export function reportLines(file: string, report: BounceReport): Array<Record<string, unknown>> {
  if (report.kind === 'not_bounce' || report.recipients.length === 0) return [{ file, reason: 'not_bounce' }];
  return report.recipients.map((r) => ({
    file,
    recipient: r.recipient,
    status: r.status,
    replycode: r.replycode,
    reason: r.reason,
    hard: r.hard,
  }));
}
