// Lint rules for every folder, plus the import boundaries between them (docs/architecture.md).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // node:test's test()/describe() return promises the runner awaits itself; a test may assert non-null.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    // Classic scripts of the viewer page: h264-player.js defines what viewer.js, loaded after it, calls.
    files: ['server/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser },
    },
  },
  {
    files: ['server/assets/viewer.js'],
    languageOptions: {
      globals: {
        canPlayH264: 'readonly',
        createH264Player: 'readonly',
        canPlayMse: 'readonly',
        createMsePlayer: 'readonly',
      },
    },
  },
  {
    files: ['server/assets/h264-player.js'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^(canPlayH264|createH264Player)$' },
      ],
    },
  },
  {
    // The MSE player, the fallback where WebCodecs is missing: it too defines what viewer.js calls.
    files: ['server/assets/mse-player.js'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^(canPlayMse|createMsePlayer)$' },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'server/ runs under plain Node: no electron.' },
      { group: ['**/electron/**', '**/renderer/**'], message: 'server/ may not import the app.' },
    ]),
  },
  {
    files: ['renderer/**/*.ts'],
    rules: restrict([
      { regex: '^(electron(/.*)?|node:.*)$', message: 'The renderer is a sandboxed web page.' },
      {
        group: ['**/server/**'],
        message: 'The renderer reaches the server only through window.lancam.',
      },
      {
        // The shared settings limits are the one app file the renderer may take values from.
        group: ['**/electron/**', '!**/electron/settings-limits.ts'],
        allowTypeImports: true,
        message:
          'Only type imports from the IPC contract, values from electron/settings-limits.ts.',
      },
    ]),
  },
  {
    files: ['electron/ipc.ts', 'electron/settings-limits.ts'],
    rules: restrict([
      { group: ['*'], message: 'Shared by main and renderer, so it imports nothing.' },
    ]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict([
      {
        group: ['node:*', 'koa', '**/server/**', '**/renderer/**', '**/main/**'],
        message: 'The sandboxed preload may use only electron and ../ipc.',
      },
    ]),
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/broadcast.ts'],
    rules: restrict([
      { group: ['koa', '**/server/**'], message: 'Only broadcast.ts talks to server/.' },
      { group: ['**/renderer/**'], message: 'Main never imports renderer code.' },
    ]),
  },
  {
    files: ['electron/main/broadcast.ts'],
    rules: restrict([
      { group: ['koa'], message: 'Use server/index.ts.' },
      {
        group: ['**/server/*', '!**/server/index.ts', '!**/server/types.ts'],
        message: 'Import server/index.ts only.',
      },
    ]),
  },
  prettier,
);
