// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'http',
  'https',
  'net',
  'tls',
  'child_process',
  'crypto',
  'dns',
  'url',
  'util',
  'stream',
  'worker_threads',
  'timers',
  'process',
];

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'test-output/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test/describe/it report their own failures.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after'],
              package: 'node:test',
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Electron is reachable only through the thin adapters, so everything else runs in Node.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'Only src/main/electron/**, src/main/index.ts and src/preload may import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/main/electron/**/*.ts',
      'src/main/index.ts',
      'src/preload/**/*.ts',
      'test/electron/**/*.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The pure core: no clock, disk, network or Electron. Time and data come in as arguments.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins].map((name) => ({
            name,
            message: 'src/core is pure: inject it through a port.',
          })),
          patterns: [
            { group: ['node:*'], message: 'src/core is pure: no Node built-ins.' },
            {
              group: ['**/main/**', '**/cli/**', '**/demo/**', '**/renderer/**', '**/preload/**'],
              message: 'src/core depends on nothing outside itself.',
            },
            {
              group: ['@azure/*', 'electron-log', 'node-notifier', 'native-reg', 'yazl'],
              message: 'src/core is pure.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'src/core never reads the clock: take `now` as an argument.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'src/core never reads the clock: take `now` as an argument.',
        },
        {
          selector: "MemberExpression[object.name='process']",
          message: 'src/core does not read the process environment.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
