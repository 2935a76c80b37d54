// ESLint: type-aware rules for the TypeScript, and the import boundaries that keep
// workflow code deterministic, domain/ pure and i18n/ free of HTTP. Formatting is Prettier's (.prettierrc.json).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `fs`, `fs/promises`, `path`, `crypto`, `http`, … and every `node:` specifier. */
const nodeBuiltins = (message) => ({
  paths: builtinModules.map((name) => ({ name, message })),
  patterns: [{ regex: '^node:', message }],
});

/** Any package (a bare specifier that is not a Node built-in) other than those allowed. */
const onlyPackages = (allowed, message) => ({
  regex: `^(?!(?:${allowed.map(escape).join('|')})(?:/|$))(?!(?:${builtinModules.map(escape).join('|')})$)(?!node:)[^.]`,
  message,
});

/** ../store, ../../api/x, …: a folder of this repository outside the one being linted. */
const folders = (names, message, allowTypeImports = false) => ({
  regex: `^(?:\\.\\./)+(?:${names.join('|')})(?:/|$)`,
  message,
  allowTypeImports,
});

const sandbox = "Workflow code runs in Temporal's deterministic sandbox: no Node built-ins. Do I/O in an activity.";
const workflowImports = {
  paths: nodeBuiltins(sandbox).paths,
  patterns: [
    ...nodeBuiltins(sandbox).patterns,
    onlyPackages(
      ['@temporalio/workflow', '@temporalio/common'],
      'Workflow code may import only @temporalio/workflow and @temporalio/common (mongoose, express, nodemailer, @temporalio/client|worker|activity do I/O or belong to the worker; zod is built again for every cached workflow, see test/unit/workflowSandbox.test.ts). Allow another package here only if it is deterministic, does no I/O and is small.',
    ),
    folders(['store', 'api', 'config', 'worker', 'provision', 'test'], 'Workflow code may import only domain/, its own files, and types from activities/.'),
    folders(['activities'], 'Workflows call activities through proxyActivities (workflows/activities.ts): import only their types, with `import type`.', true),
  ],
};

const pure = 'domain/ is pure rules that workflows, the API and activities all import: only zod and other domain/ files, no I/O.';
const domainImports = {
  paths: nodeBuiltins(pure).paths,
  patterns: [...nodeBuiltins(pure).patterns, onlyPackages(['zod'], pure), { regex: '^\\.\\./', message: pure }],
};

const words = 'i18n/ is the Danish and English words for pages and mails alike: only domain/ and its own files, no I/O and no HTTP.';
const wordImports = {
  paths: nodeBuiltins(words).paths,
  patterns: [
    ...nodeBuiltins(words).patterns,
    onlyPackages([], words),
    folders(['store', 'api', 'activities', 'workflows', 'config', 'worker', 'provision', 'test', 'bench'], words),
  ],
};

export default defineConfig(
  { ignores: ['node_modules/', '.tools', '.data/', 'test-artifacts/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // In the recommended set already; named so that no later block turns them off unnoticed.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // The shared objects here are closure records (createActivities, the store, StageContext,
      // task forms), not classes: their methods never use `this`, and destructuring them is the
      // house style. The rule cannot tell and flagged every destructuring.
      '@typescript-eslint/unbound-method': 'off',
      // Activities and handlers are `async` to promise a Promise whether or not they await;
      // a forgotten await is what no-floating-promises catches.
      '@typescript-eslint/require-await': 'off',
      // tsc checks unused names too (noUnusedLocals); `_name` marks one kept on purpose
      // (express's four-argument error handler, a property left out of a rest spread).
      // Passing on a reason received from elsewhere (a then's onRejected) is not inventing a
      // non-Error; rejecting with a string or a literal is still an error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Express types req.body as `any`, and tests read JSON response bodies (`any`) to assert
    // on them; the API checks every field it reads (typeof or a zod schema). Elsewhere `any`
    // is a hole in the types and stays an error.
    files: ['api/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  { files: ['workflows/**/*.ts'], rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', workflowImports] } },
  { files: ['domain/**/*.ts'], rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', domainImports] } },
  { files: ['i18n/**/*.ts'], rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', wordImports] } },
);
