import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The offline command is what support runs on a bounce a customer forwards: a wrong argument gets a usage line or a
// one-line error, never a stack trace, and the files it can read are still classified.

const script = path.resolve(import.meta.dirname, '../../scripts/classify-bounce.ts');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('an unknown option prints the usage, not a stack trace', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^usage: classify-bounce FILE/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('a file that cannot be read is named in one line; the others are still classified', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classify-bounce-'));
  const notice = path.join(dir, 'notice.eml');
  fs.writeFileSync(
    notice,
    [
      'From: MAILER-DAEMON@mx.example.net',
      'To: sender@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      '',
      'This is the mail system at host mx.example.net.',
      '',
      '<nobody@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1',
      '    <nobody@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
      '',
    ].join('\n'),
  );
  const missing = path.join(dir, 'missing.eml');
  try {
    const r = await run([missing, notice]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), `classify-bounce: cannot read ${missing}: ENOENT`);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.recipient, l.reason, l.hard]),
      [['nobody@example.org', 'userunknown', true]],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
