// `npm run lint`: typescript-eslint's recommended rules, and the dependency rules of issue #18 — no import
// cycles, no import from an upper layer into a lower one (docs/ARCHITECTURE.md, "Rules of the code"), and
// route files that only map schema → call → answer (no SQL, no activities):
//
//   lib  <  db  <  activities  <  workflows  <  api  <  ops  <  test
//
// A layer imports only from the layers before it, type-only imports included. Workflow code (what
// the worker bundles for Temporal's sandbox) takes activities and db as `import type` only: activities
// run in the worker and are called through `proxyActivities`.
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Files under `target` may import nothing under `from`. */
const layer = (target, from, message) => ({ target, from, message });

const layers = [
  layer(
    './lib',
    ['./db', './activities', './workflows', './api', './ops', './test'],
    'lib/ is the bottom layer: shared modules that import no other layer.',
  ),
  layer('./db', ['./activities', './workflows', './api', './ops', './test'], 'db/ may import only lib/.'),
  layer(
    './activities',
    ['./workflows', './api', './ops', './test'],
    'activities/ may import only lib/ and db/ (a type a workflow shares with its activities belongs below both, e.g. in lib/).',
  ),
  layer(
    './workflows',
    ['./api', './ops', './test'],
    'workflows/ may import only lib/, and activities/ and db/ as `import type`.',
  ),
  layer('./api', ['./ops', './test'], 'api/ may not import ops/ or test/.'),
  layer('./ops', ['./test'], 'ops/ may not import test/: move what it needs to ops/ or lib/.'),
];

export default defineConfig(
  {
    // TypeScript only: the consoles' browser scripts and the few .js/.mjs helpers are not layered code.
    ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'coverage/', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['{lib,db,activities,workflows,api,ops,test}/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    // The code's one directive names a rule this config does not turn on.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: {
      // no-cycle follows only the files it can parse: ours, with the TypeScript parser.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.js'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      ...Object.assign({}, ...tseslint.configs.recommended.map((config) => config.rules ?? {})),
      // Database rows come back as `Record<string, any>` from knex; typing every row is not this rule's job here.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Packages are never part of our cycles; not reading them keeps the rule fast. Note that
      // no-cycle does not follow `import type`; `npm run lint` runs madge after eslint, which does.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
  {
    // Workflow code: everything the worker bundles from workflows/index.ts, not the worker itself.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/worker.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '**/db', '**/db/**'],
              allowTypeImports: true,
              message:
                'Workflow code runs in the sandbox: activities and db only as `import type`; call activities through proxyActivities.',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes map schema → call → answer: queries live in api/views (reads), api/intake (record + start a
    // workflow) or db/ (an object's one writer); side effects in activities are reached through workflows.
    files: ['api/routes/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'knex', message: 'No SQL in route files: put the query in api/views, api/intake or db/.' }],
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              message: 'Routes do not call activities: an intake starts the workflow, or the rule belongs in lib/.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(db|trx)$/]",
          message: 'No SQL in route files: put the query in api/views, api/intake or db/.',
        },
        {
          selector: 'CallExpression[callee.name=/^(db|trx)$/]',
          message: 'No SQL in route files: put the query in api/views, api/intake or db/.',
        },
        {
          selector: 'MemberExpression[property.name=/^(transaction|raw)$/][object.name=/^(db|trx|knex)$/]',
          message: 'No transactions or raw SQL in route files: put them in api/intake or db/.',
        },
        {
          selector: "MemberExpression[property.name=/^(transaction|raw)$/][object.property.name='db']",
          message: 'No transactions or raw SQL in route files: put them in api/intake or db/.',
        },
      ],
    },
  },
);
