// Ratchet: accuracy on the shared bounce corpus must not fall below the figures recorded in the "Bounce
// classification" section of docs/benchmarks.md. Raising the numbers there raises the bar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { measureCorpus, percent } from '../../src/bounces/corpus-accuracy.js';

const corpus = path.resolve('../shared/corpus/bounces');

function recordedFigures(): Record<string, number> {
  const doc = fs.readFileSync('docs/benchmarks.md', 'utf8');
  const start = doc.indexOf('## Bounce classification');
  assert.ok(start >= 0, 'docs/benchmarks.md has no "## Bounce classification" section');
  const rest = doc.slice(start + 3);
  const section = rest.slice(0, rest.search(/\n## /) >= 0 ? rest.search(/\n## /) : undefined);
  const figures: Record<string, number> = {};
  for (const m of section.matchAll(/^\|\s*(status|reason|hard)\s*\|\s*([\d.]+)\s*%/gim))
    figures[m[1]!.toLowerCase()] = Number(m[2]);
  assert.ok(
    figures.status !== undefined && figures.reason !== undefined,
    'the section must record "| status | N% |" and "| reason | N% |" rows',
  );
  return figures;
}

test('bounce classification accuracy does not fall below the recorded figures', () => {
  // CI clones the repository with shared/ beside it; without the corpus this must fail, not pass silently.
  assert.ok(
    fs.existsSync(path.join(corpus, 'expected.jsonl')),
    `bounce corpus missing at ${corpus} (expected ../shared/corpus/bounces beside the repository)`,
  );
  const recorded = recordedFigures();
  const r = measureCorpus(corpus);
  const measured: Record<string, number> = {
    status: percent(r.status),
    reason: percent(r.reason),
    hard: percent(r.hard),
  };
  for (const [metric, floor] of Object.entries(recorded)) {
    assert.ok(measured[metric]! >= floor, `${metric} accuracy ${measured[metric]}% fell below the recorded ${floor}%`);
  }
});
