// Accuracy of the classifier on a labelled corpus (../shared/corpus/bounces: expected.jsonl, one line per
// recipient). Status is compared exactly, except on lines whose expected status is a Sisimai-internal pseudo code
// (x.0.9xx, never present in the message), where only the class digit can be compared.
import fs from 'node:fs';
import path from 'node:path';
import { classifyRawBounce } from './classify-raw-bounce.js';
import type { RecipientReport } from '../domain/bounces/classify-bounce.js';
import { normalizeAddress } from '../domain/mime/address.js';

interface ExpectedLine {
  file: string;
  recipient: string;
  status: string;
  replycode: string;
  reason: string;
  hard: boolean;
  status_pseudo: boolean;
}

export interface Tally {
  total: number;
  correct: number;
}

export interface AccuracyResult {
  lines: number;
  status: Tally;
  reason: Tally;
  hard: Tally;
  perReason: Record<string, Tally>;
  misses: Array<{ file: string; recipient: string; expected: string; got: string }>;
}

function matchRecipient(got: RecipientReport[], want: ExpectedLine, index: number): RecipientReport | undefined {
  const byAddress = got.find((r) => normalizeAddress(r.recipient) === normalizeAddress(want.recipient));
  // Reports that disclose no recipient ("" expected) are matched by position.
  return byAddress ?? (want.recipient === '' ? got[index] : undefined);
}

function statusMatches(want: ExpectedLine, got: RecipientReport | undefined, notBounce: boolean): boolean {
  if (want.reason === 'not_bounce') return notBounce;
  if (!got) return false;
  if (want.status === '') return got.status === '';
  return want.status_pseudo ? got.status[0] === want.status[0] : got.status === want.status;
}

export function measureCorpus(dir: string): AccuracyResult {
  const expected = fs
    .readFileSync(path.join(dir, 'expected.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ExpectedLine);
  const byFile = new Map<string, ExpectedLine[]>();
  for (const e of expected) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const result: AccuracyResult = {
    lines: expected.length,
    status: { total: 0, correct: 0 },
    reason: { total: 0, correct: 0 },
    hard: { total: 0, correct: 0 },
    perReason: {},
    misses: [],
  };
  for (const [file, wants] of byFile) {
    const report = classifyRawBounce(fs.readFileSync(path.join(dir, file)));
    const notBounce = report.kind === 'not_bounce';
    wants.forEach((want, i) => {
      const got = notBounce ? undefined : matchRecipient(report.recipients, want, i);
      const gotReason = notBounce ? 'not_bounce' : (got?.reason ?? '(missing)');
      const statusOk = statusMatches(want, got, notBounce);
      const reasonOk = gotReason === want.reason;
      const hardOk = notBounce ? want.reason === 'not_bounce' : got?.hard === want.hard;
      const per = (result.perReason[want.reason] ??= { total: 0, correct: 0 });
      per.total++;
      result.status.total++;
      result.reason.total++;
      result.hard.total++;
      if (statusOk) result.status.correct++;
      if (reasonOk) {
        result.reason.correct++;
        per.correct++;
      }
      if (hardOk) result.hard.correct++;
      if (!statusOk || !reasonOk) {
        result.misses.push({
          file,
          recipient: want.recipient,
          expected: `${want.status} ${want.replycode} ${want.reason}`,
          got: got ? `${got.status} ${got.replycode} ${got.reason}` : gotReason,
        });
      }
    });
  }
  return result;
}

export const percent = (t: Tally): number => (t.total === 0 ? 100 : Math.round((1000 * t.correct) / t.total) / 10);
