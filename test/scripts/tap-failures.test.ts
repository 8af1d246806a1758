import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TapFailures } from '../../scripts/tap-failures.js';

// The test driver repeats failed tests at the end of its output; read from the TAP that node's runner really prints.

function runNodeTest(source: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-failures-'));
  const file = path.join(dir, 'sample.test.mjs');
  fs.writeFileSync(file, source);
  // Without this variable the inner runner would report to this one, in its private format, instead of printing TAP.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--test', '--test-reporter=tap', file], { env }, (_err, stdout) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve(stdout);
    });
  });
}

function summarise(tap: string): string {
  const failures = new TapFailures();
  for (const line of tap.split('\n')) failures.line(line);
  return failures.summary();
}

test('a failed test is repeated with its error; passing tests are not', async () => {
  const tap = await runNodeTest(`
    import { test } from 'node:test';
    import assert from 'node:assert/strict';
    test('adds up', () => assert.equal(1 + 1, 2));
    test('relay answers in time', () => assert.equal('late', 'on time', 'the relay was late'));
    test('nested', async (t) => {
      await t.test('inner passes', () => {});
      await t.test('inner breaks', () => { throw new Error('socket closed early'); });
    });
  `);
  const summary = summarise(tap);
  assert.match(summary, /^# 3 failed test\(s\)/);
  assert.match(summary, /# not ok - relay answers in time\n(# {3}.*\n)*# {3}.*the relay was late/);
  assert.match(summary, /# not ok - inner breaks\n(# {3}.*\n)*# {3}.*socket closed early/);
  assert.match(summary, /# not ok - nested\n/);
  assert.doesNotMatch(summary, /adds up|inner passes/);
});

test('nothing failed: no summary at all', async () => {
  const tap = await runNodeTest(`
    import { test } from 'node:test';
    test('fine', () => {});
  `);
  assert.match(tap, /^ok 1 - fine$/m);
  assert.equal(summarise(tap), '');
});

test('the summary stays bounded whatever the output', () => {
  const failures = new TapFailures();
  for (let i = 0; i < 1000; i++) {
    failures.line(`not ok ${i} - failure ${i}`);
    failures.line('  ---');
    for (let j = 0; j < 1000; j++) failures.line(`  line ${j} ${'x'.repeat(1000)}`);
    failures.line('  ...');
  }
  const summary = failures.summary();
  assert.match(summary, /^# 1000 failed test\(s\)/);
  assert.match(summary, /# \.\.\. and 980 more, see above\n$/);
  assert.ok(summary.length < 300_000, `summary is ${summary.length} characters`);
});
