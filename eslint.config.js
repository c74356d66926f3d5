import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import noImportCycle from './scripts/eslint-no-import-cycle.js';

// Boundaries between the layers, type-only imports included (the core rule sees `import type` too).
const SIMULATOR = {
  regex: '^(\\.\\./)+simulator(/|$)',
  message: 'src/ is the action: it never imports the simulator (a test double).',
};
const API_LAYER = [
  {
    regex: '^(\\.\\./)+(operations|report)(/|$)',
    message: 'src/api is the Workfront client: operations and the report use it, not the other way round.',
  },
  {
    regex: '^@actions/',
    message: 'src/api knows nothing of the runner: main.ts hands it logging and inputs.',
  },
];
/** The transport sends through @actions/http-client, for the runner's proxy and CA settings. */
const TRANSPORT = [API_LAYER[0], { ...API_LAYER[1], regex: '^@actions/(?!http-client$)' }];
const restricted = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'demo-output/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['simulator/**', 'scripts/**', 'bench/**', '__tests__/**', '*.js'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.ts'],
    plugins: { local: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'local/no-import-cycle': 'error' },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': restricted(SIMULATOR) } },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': restricted(SIMULATOR, ...API_LAYER),
    },
  },
  { files: ['src/api/http.ts'], rules: { 'no-restricted-imports': restricted(SIMULATOR, ...TRANSPORT) } },
);
