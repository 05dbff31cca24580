// ESLint (flat config): recommended rules for every JS file in the repository; the page's JSX
// (web/src) with browser globals, the worker pair and the facade for browsers and workers (and
// Node for worker_threads), scripts, benches and tests for Node.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'build/', 'node_modules/', 'tests/data/', 'tests/fixtures/'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['web/src/**/*.{js,jsx}'],
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['wasm/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
  },
  {
    // The example marketing site runs in browsers.
    files: ['examples/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Appended to Emscripten's loader, which defines createLeadScoreModule.
    files: ['wasm/leadscore.js'],
    languageOptions: { globals: { createLeadScoreModule: 'readonly' } },
  },
  {
    // Code that runs in the page under Playwright (page.evaluate) sees browser globals.
    files: ['tests/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
];
