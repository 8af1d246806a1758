// The bounce classifier on real bounces damaged as hostile or broken senders damage them (test/helpers/
// mutate-message.ts): whatever arrives, it answers, and its answer keeps its form and its bounds. The speed on such
// input is measured by the parsers bench, not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';
import { MAX_REPORTED_RECIPIENTS } from '../../src/domain/bounces/classify-bounce.js';
import { BOUNCE_REASONS } from '../../src/domain/bounces/reasons.js';
import { mutateMessage } from '../helpers/mutate-message.js';
import { seededRandom } from '../helpers/seeded-random.js';

const dirs = [path.resolve('../shared/corpus/bounces'), path.resolve('test/bounces/flufl-bounce')];
const messages = dirs.flatMap((d) =>
  fs
    .readdirSync(d)
    .filter((f) => /\.(eml|txt)$/.test(f))
    .map((f) => fs.readFileSync(path.join(d, f))),
);
const reasons = new Set<string>([...BOUNCE_REASONS, 'delivered', 'feedback', 'vacation']);

test('a damaged bounce is still answered, within the report bounds and in the report form', () => {
  assert.ok(messages.length > 300, `the corpus and flufl.bounce's messages are read (${messages.length})`);
  const random = seededRandom(20261207);
  for (let i = 0; i < 3000; i++) {
    const raw = mutateMessage(messages[Math.floor(random() * messages.length)]!, messages, random);
    const report = classifyRawBounce(raw);
    const where = `message ${i} (seed 20261207)`;
    assert.ok(report.recipients.length <= MAX_REPORTED_RECIPIENTS, `${where}: ${report.recipients.length} recipients`);
    for (const r of report.recipients) {
      assert.ok(reasons.has(r.reason), `${where}: reason ${r.reason}`);
      assert.match(r.status, /^(?:[245]\.\d{1,3}\.\d{1,3})?$/, where);
      assert.match(r.replycode, /^(?:[2-5]\d\d)?$/, where);
    }
  }
});
