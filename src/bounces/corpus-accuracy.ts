// Accuracy of the classifier on a labelled corpus (../shared/corpus/bounces: expected.jsonl, one line per
// recipient). Status is compared exactly, except on lines whose expected status is a Sisimai-internal pseudo code
// (x.0.9xx, never present in the message), where only the class digit can be compared.
import fs from 'node:fs';
import path from 'node:path';
import { classifyRawBounce } from './classify-raw-bounce.js';
import type { RecipientReport } from '../domain/bounces/classify-bounce.js';
import { setRuleProbe } from '../domain/bounces/diagnostic-patterns.js';
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

export interface FamilyStats {
  lines: number;
  status: Tally;
  reason: Tally;
  hard: Tally;
}

export interface AccuracyResult {
  lines: number;
  status: Tally;
  reason: Tally;
  hard: Tally;
  perReason: Record<string, Tally>;
  /** Per sender/receiver family (the file name without its number: "lhost-postfix", "rhost-franceptt"). */
  perFamily: Record<string, FamilyStats>;
  /** "expected → got" reason pairs of the misses, most frequent first. */
  confusions: Array<{ expected: string; got: string; count: number }>;
  misses: Array<{ file: string; recipient: string; expected: string; got: string }>;
  /** Per file, the table patterns that decided a reason while classifying it (see RuleProbe). */
  decidedBy: Map<string, Set<string>>;
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

export interface MeasureOptions {
  /** Only these files are measured. */
  files?: (file: string) => boolean;
  /** Patterns left out of the tables (ids as RuleProbe reports them). */
  skip?: ReadonlySet<string>;
}

/** The family of a corpus file: its name without the sample number and extension. */
export const familyOf = (file: string): string => file.replace(/-\d+\.eml$/, '').replace(/\.eml$/, '');

const tally = (): Tally => ({ total: 0, correct: 0 });
const count = (t: Tally, ok: boolean): void => {
  t.total++;
  if (ok) t.correct++;
};

function readExpected(dir: string): ExpectedLine[] {
  return fs
    .readFileSync(path.join(dir, 'expected.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ExpectedLine);
}

export function measureCorpus(dir: string, opts: MeasureOptions = {}): AccuracyResult {
  const expected = readExpected(dir).filter((e) => !opts.files || opts.files(e.file));
  const byFile = new Map<string, ExpectedLine[]>();
  for (const e of expected) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const result: AccuracyResult = {
    lines: expected.length,
    status: tally(),
    reason: tally(),
    hard: tally(),
    perReason: {},
    perFamily: {},
    confusions: [],
    misses: [],
    decidedBy: new Map(),
  };
  const confusions = new Map<string, number>();
  for (const [file, wants] of byFile) {
    const decided = new Set<string>();
    setRuleProbe({ decided: (id) => decided.add(id), skip: (id) => opts.skip?.has(id) ?? false });
    let report;
    try {
      report = classifyRawBounce(fs.readFileSync(path.join(dir, file)));
    } finally {
      setRuleProbe(null);
    }
    result.decidedBy.set(file, decided);
    const notBounce = report.kind === 'not_bounce';
    const family = (result.perFamily[familyOf(file)] ??= { lines: 0, status: tally(), reason: tally(), hard: tally() });
    wants.forEach((want, i) => {
      const got = notBounce ? undefined : matchRecipient(report.recipients, want, i);
      const gotReason = notBounce ? 'not_bounce' : (got?.reason ?? '(missing)');
      const statusOk = statusMatches(want, got, notBounce);
      const reasonOk = gotReason === want.reason;
      const hardOk = notBounce ? want.reason === 'not_bounce' : got?.hard === want.hard;
      family.lines++;
      for (const [t, ok] of [
        [result.status, statusOk],
        [family.status, statusOk],
        [result.reason, reasonOk],
        [family.reason, reasonOk],
        [(result.perReason[want.reason] ??= tally()), reasonOk],
        [result.hard, hardOk],
        [family.hard, hardOk],
      ] as const)
        count(t, ok);
      if (!reasonOk) {
        const key = `${want.reason}\u0000${gotReason}`;
        confusions.set(key, (confusions.get(key) ?? 0) + 1);
      }
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
  result.confusions = [...confusions]
    .map(([k, n]) => {
      const [exp, got] = k.split('\u0000') as [string, string];
      return { expected: exp, got, count: n };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
  return result;
}

export interface FamilyHoldout {
  family: string;
  lines: number;
  /** The family measured with every table pattern in place. */
  all: FamilyStats;
  /** The same lines with the patterns that decide only this family's samples left out. */
  heldOut: FamilyStats;
  /** Those patterns: rules the rest of the corpus never needs, the ones most likely fitted to this family. */
  ownPatterns: string[];
  /** Per expected reason, the held-out lines of this family (correct / lines). */
  heldOutPerReason: Record<string, Tally>;
  /** The lines missed with those patterns left out. */
  heldOutMisses: AccuracyResult['misses'];
}

/**
 * Leave-one-family-out for a hand-written table. Rules cannot be re-learnt without a family's samples, but the
 * patterns that decide a reason only for one family's samples are the ones that family alone justifies: each family
 * is measured again with its own patterns left out. A family that holds up relies on patterns that other families'
 * bounces also use (or on the standards' codes); a large drop means its lines rest on wording fitted to it.
 */
export function leaveOneFamilyOut(dir: string, full = measureCorpus(dir)): FamilyHoldout[] {
  const familiesOf = new Map<string, Set<string>>();
  for (const [file, ids] of full.decidedBy)
    for (const id of ids) familiesOf.set(id, (familiesOf.get(id) ?? new Set()).add(familyOf(file)));
  return Object.entries(full.perFamily)
    .map(([family, stats]) => {
      const own = [...familiesOf].filter(([, fams]) => fams.size === 1 && fams.has(family)).map(([id]) => id);
      const run = measureCorpus(dir, { files: (f) => familyOf(f) === family, skip: new Set(own) });
      const heldOut = run.perFamily[family]!;
      return {
        family,
        lines: stats.lines,
        all: stats,
        heldOut,
        ownPatterns: own.sort(),
        heldOutPerReason: run.perReason,
        heldOutMisses: run.misses,
      };
    })
    .sort((a, b) => b.lines - a.lines || a.family.localeCompare(b.family));
}

export interface SampleHoldout {
  file: string;
  /** The file measured with the patterns that decide only for it left out. */
  heldOut: AccuracyResult;
  /** Those patterns: rules no other sample of the corpus needs. */
  ownPatterns: string[];
}

/**
 * Leave-one-sample-out: each file measured again without the patterns that decide a reason for it alone. The
 * held-back bounces come from the same families as the corpus, so a family's shared wording still applies to them;
 * what would not is a rule only one sample's wording justifies. Sits between the corpus figures (every rule kept)
 * and leave-one-family-out (a family's shared wording lost too).
 */
export function leaveOneSampleOut(dir: string, full = measureCorpus(dir)): SampleHoldout[] {
  const filesOf = new Map<string, Set<string>>();
  for (const [file, ids] of full.decidedBy)
    for (const id of ids) filesOf.set(id, (filesOf.get(id) ?? new Set()).add(file));
  return [...full.decidedBy.keys()].map((file) => {
    const own = [...filesOf].filter(([, files]) => files.size === 1 && files.has(file)).map(([id]) => id);
    return {
      file,
      heldOut: measureCorpus(dir, { files: (f) => f === file, skip: new Set(own) }),
      ownPatterns: own.sort(),
    };
  });
}

export const percent = (t: Tally): number => (t.total === 0 ? 100 : Math.round((1000 * t.correct) / t.total) / 10);
