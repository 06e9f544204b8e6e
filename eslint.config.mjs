import tseslint from 'typescript-eslint';
import globals from 'globals';
import untrusted from './tools/eslint/untrusted.mjs';
import layers from './tools/eslint/layers.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/fixtures/**', 'test-results/**', 'examples/**'] },
  ...tseslint.configs.strict,
  {
    files: ['**/*.ts'],
    // each file is type-checked as its target is (node / webview / tests): see tsconfig.json
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.webview.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return promises the runner itself awaits
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/test/**', '../test/*'], message: 'src/ must not import test code' }] },
      ],
    },
  },
  {
    // every text the editor shows is Shown / Visible / SafeMarkdown (src/untrusted/shown.ts), checked with types
    files: ['src/**/*.ts'],
    plugins: { untrusted },
    rules: { 'untrusted/shown-only': 'error' },
  },
  {
    // the folder decides what a file may import (the layer table is in tools/eslint/layers.mjs)
    files: ['src/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/imports': 'error' },
  },
  {
    // settings are read through src/config.ts only (readSetting: one typed accessor per key, its default
    // in src/shared/settings.ts, what a folder may set enforced): no string-keyed configuration read
    // elsewhere in the extension. The language server (src/server/) asks its client over LSP instead.
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts', 'src/server/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[property.name='getConfiguration'], Identifier[name='getConfiguration']:not(MemberExpression > Identifier.property)",
          message:
            'read settings with readSetting (src/config.ts): its key types the value, its default is SETTING_DEFAULTS, and what a folder may set is enforced',
        },
      ],
    },
  },
  {
    // the webviews' DOM: text only, by construction. Cluster strings reach the page as textContent (never as
    // markup), so nothing in the webview bundles may parse a string as HTML.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'innerHTML',
          message: 'webview text is set with textContent: a string here would be parsed as HTML',
        },
        {
          property: 'outerHTML',
          message: 'webview text is set with textContent: a string here would be parsed as HTML',
        },
        {
          property: 'insertAdjacentHTML',
          message: 'webview text is set with textContent: a string here would be parsed as HTML',
        },
        {
          property: 'createContextualFragment',
          message: 'webview text is set with textContent: a string here would be parsed as HTML',
        },
        { object: 'document', property: 'write', message: 'webview text is set with textContent' },
        { object: 'document', property: 'writeln', message: 'webview text is set with textContent' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'DOMParser', message: 'webview text is set with textContent: no HTML parsing' },
      ],
    },
  },
  {
    // the double and the contract suite handle Nomad's untyped Job JSON as the agent sends it
    files: ['test/double/**/*.ts', 'test/contract/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-extraneous-class': 'off' },
  },
  {
    // the JavaScript of the repository (build, scripts, test harness, e2e, tools) runs in Node; its types are
    // checked by tsconfig.js.json (checkJs)
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-undef': 'error' },
  },
  {
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // the e2e scenarios hand functions to the page (page.evaluate): they run in the browser
    files: ['test/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
