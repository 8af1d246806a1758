// `npm run -s classify-bounce -- FILE...`: one JSON line per reported recipient, {file, reason: "not_bounce"} for
// anything that is not a bounce. `--measure DIR` prints the accuracy on a labelled corpus instead: overall, per
// reason, the most frequent confusions, per family, and each family again with the patterns only it uses left out
// (leaveOneFamilyOut in src/bounces/corpus-accuracy.ts), also summed per reason. `--misses` adds one line per
// missed recipient, and one per recipient missed with its family's own patterns left out.
import fs from 'node:fs';
import { classifyRawBounce, reportLines } from '../src/bounces/classify-raw-bounce.js';
import {
  leaveOneFamilyOut,
  leaveOneSampleOut,
  measureCorpus,
  percent,
  type FamilyStats,
  type Tally,
} from '../src/bounces/corpus-accuracy.js';

const args = process.argv.slice(2);
const figures = (s: { status: Tally; reason: Tally; hard: Tally }): string =>
  `status ${percent(s.status)}% reason ${percent(s.reason)}% hard ${percent(s.hard)}%`;

function sum(list: FamilyStats[]): FamilyStats {
  const add = (k: 'status' | 'reason' | 'hard'): Tally => ({
    total: list.reduce((n, s) => n + s[k].total, 0),
    correct: list.reduce((n, s) => n + s[k].correct, 0),
  });
  return {
    lines: list.reduce((n, s) => n + s.lines, 0),
    status: add('status'),
    reason: add('reason'),
    hard: add('hard'),
  };
}

if (args[0] === '--measure') {
  const dir = args.find((a, i) => i > 0 && !a.startsWith('--')) ?? '../shared/corpus/bounces';
  const r = measureCorpus(dir);
  if (args.includes('--misses'))
    for (const m of r.misses) console.log(`miss ${m.file} ${m.recipient}: expected ${m.expected} got ${m.got}`);
  console.log(`lines ${r.lines} ${figures(r)}`);
  console.log('\nper reason (correct/lines)');
  for (const [reason, t] of Object.entries(r.perReason).sort((a, b) => b[1].total - a[1].total))
    console.log(`  ${reason.padEnd(16)} ${String(t.correct).padStart(3)}/${String(t.total).padEnd(3)} ${percent(t)}%`);
  console.log('\nconfusions (expected → got, lines)');
  for (const c of r.confusions.slice(0, 15)) console.log(`  ${c.expected} → ${c.got}: ${c.count}`);
  const holdouts = leaveOneFamilyOut(dir, r);
  console.log('\nper family: all patterns | own patterns left out (patterns no other family uses)');
  for (const h of holdouts) {
    const changed = figures(h.all) !== figures(h.heldOut);
    console.log(
      `  ${h.family.padEnd(24)} ${String(h.lines).padStart(2)} lines  ${figures(h.all)}` +
        (changed ? `  | held out: ${figures(h.heldOut)} without ${h.ownPatterns.join(' ')}` : ''),
    );
  }
  if (args.includes('--misses'))
    for (const h of holdouts)
      for (const m of h.heldOutMisses)
        console.log(`held-out miss ${m.file} ${m.recipient}: expected ${m.expected} got ${m.got}`);
  const perReason: Record<string, Tally> = {};
  for (const h of holdouts)
    for (const [reason, t] of Object.entries(h.heldOutPerReason)) {
      const sumT = (perReason[reason] ??= { total: 0, correct: 0 });
      sumT.total += t.total;
      sumT.correct += t.correct;
    }
  console.log('\nleave-one-family-out per reason (correct/lines)');
  for (const [reason, t] of Object.entries(perReason).sort((a, b) => b[1].total - a[1].total))
    console.log(`  ${reason.padEnd(16)} ${String(t.correct).padStart(3)}/${String(t.total).padEnd(3)} ${percent(t)}%`);
  const own = holdouts.reduce((n, h) => n + h.ownPatterns.length, 0);
  console.log(
    `\nleave-one-family-out (every family without its own ${own} patterns): ${figures(sum(holdouts.map((h) => h.heldOut)))}`,
  );
  const samples = leaveOneSampleOut(dir, r);
  if (args.includes('--misses'))
    for (const s of samples)
      for (const m of s.heldOut.misses)
        console.log(
          `sample-out miss ${m.file} ${m.recipient}: expected ${m.expected} got ${m.got} (without ${s.ownPatterns.join(' ')})`,
        );
  const sampleSum = (k: 'status' | 'reason' | 'hard'): Tally => ({
    total: samples.reduce((n, s) => n + s.heldOut[k].total, 0),
    correct: samples.reduce((n, s) => n + s.heldOut[k].correct, 0),
  });
  const single = samples.reduce((n, s) => n + s.ownPatterns.length, 0);
  console.log(
    `leave-one-sample-out (every sample without the ${single} patterns only it uses): ` +
      figures({ status: sampleSum('status'), reason: sampleSum('reason'), hard: sampleSum('hard') }),
  );
} else {
  if (args.length === 0 || args.some((a) => a.startsWith('--'))) {
    console.error('usage: classify-bounce FILE... | --measure [DIR] [--misses]');
    process.exit(2);
  }
  for (const file of args) {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(file);
    } catch (err) {
      console.error(`classify-bounce: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      process.exitCode = 2;
      continue;
    }
    for (const line of reportLines(file, classifyRawBounce(raw))) console.log(JSON.stringify(line));
  }
}
