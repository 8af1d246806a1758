import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createAccount, startStack, type Stack } from '../helpers/stack.js';

// Schemathesis (PyPI, installed into .tools/fuzz-venv by scripts/test-setup.sh) generates requests from /openapi.json
// and sends them to a live stack with the admin key: no answer may be a 5xx, and every answer must have a documented
// status code and match the document's schema. Skipped, saying so, when schemathesis is not installed.

const st = path.resolve('.tools/fuzz-venv/bin/st');
const installed = fs.existsSync(st);
let stack: Stack;

before(async () => {
  if (!installed) return;
  stack = await startStack({ roles: ['worker', 'ingress', 'api'] });
  await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(() => stack?.close());

test(
  'schemathesis finds no 5xx and no answer outside the document',
  { skip: !installed && `${st} missing: run scripts/test-setup.sh` },
  async () => {
    const args = [
      'run',
      `${stack.apiUrl}/openapi.json`,
      '--url',
      stack.apiUrl,
      '-H',
      `Authorization: Bearer ${stack.adminKey}`,
      '--checks',
      'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
      '--max-examples',
      process.env.API_FUZZ_EXAMPLES ?? '25',
      '--phases',
      'examples,coverage,fuzzing',
      // One worker: CPython 3.11's AST parser is not thread-safe, and Hypothesis parses lambda sources while drawing
      // ("SystemError: AST constructor recursion depth mismatch" under two workers).
      '--workers',
      '1',
      '--no-color',
    ];
    const child = spawn(st, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Schemathesis keeps its example database in the working directory: the test run's, removed afterwards.
      cwd: process.env.TEST_WORK_DIR ?? '/tmp',
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code: number = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
    if (process.env.API_FUZZ_PRINT) process.stdout.write(out);
    assert.equal(code, 0, out.slice(-20_000));
  },
);
