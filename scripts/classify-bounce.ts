// `npm run -s classify-bounce -- FILE...`: one JSON line per reported recipient, {file, reason: "not_bounce"} for
// anything that is not a bounce. `--measure DIR` prints the accuracy on a labelled corpus instead.
import fs from 'node:fs';
import { classifyRawBounce, reportLines } from '../src/bounces/classify-raw-bounce.js';
import { measureCorpus, percent } from '../src/bounces/corpus-accuracy.js';

const args = process.argv.slice(2);
if (args[0] === '--measure') {
  const r = measureCorpus(args[1] ?? '../shared/corpus/bounces');
  for (const m of r.misses) console.log(`miss ${m.file} ${m.recipient}: expected ${m.expected} got ${m.got}`);
  console.log(`lines ${r.lines} status ${percent(r.status)}% reason ${percent(r.reason)}% hard ${percent(r.hard)}%`);
  for (const [reason, t] of Object.entries(r.perReason).sort((a, b) => b[1].total - a[1].total))
    console.log(`  ${reason} ${t.correct}/${t.total}`);
} else {
  if (args.length === 0) {
    console.error('usage: classify-bounce FILE... | --measure DIR');
    process.exit(2);
  }
  for (const file of args) {
    for (const line of reportLines(file, classifyRawBounce(fs.readFileSync(file)))) console.log(JSON.stringify(line));
  }
}
