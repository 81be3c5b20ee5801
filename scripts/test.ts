import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm test`: lint, format check, type-check (API and UI), then every test on real services.
 * `npm test -- <filters>` runs only the matching test files.
 */
const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const filters = process.argv.slice(2);

const steps: Array<{ name: string; command: string; args: string[]; cwd?: string }> = [
  // The web tsconfig extends the one SvelteKit generates, so lint and type checks need it first.
  {
    name: 'web (svelte-kit sync)',
    command: bin('svelte-kit'),
    args: ['sync'],
    cwd: join(root, 'web'),
  },
  { name: 'lint (eslint)', command: bin('eslint'), args: ['.'] },
  {
    name: 'format (prettier)',
    command: bin('prettier'),
    args: ['--check', '--log-level', 'warn', '.'],
  },
  { name: 'types (tsc)', command: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  {
    name: 'types (svelte-check)',
    command: bin('svelte-check'),
    args: ['--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human'],
    cwd: join(root, 'web'),
  },
  { name: 'tests (vitest)', command: bin('vitest'), args: ['run', ...filters] },
];

mkdirSync(join(root, 'test-results'), { recursive: true });
const selected = filters.length ? steps.slice(-1) : steps;
const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
for (const step of selected) {
  console.log(`\n▶ ${step.name}`);
  const started = Date.now();
  const run = spawnSync(step.command, step.args, { cwd: step.cwd ?? root, stdio: 'inherit' });
  const ok = run.status === 0;
  results.push({ name: step.name, ok, seconds: (Date.now() - started) / 1000 });
  if (!ok) break;
}

console.log('\nSummary');
for (const r of results)
  console.log(`  ${r.ok ? '✓' : '✗'} ${r.name.padEnd(26)} ${r.seconds.toFixed(1)} s`);
const failed = results.find((r) => !r.ok);
if (failed) {
  console.log(`\n${failed.name} failed; later steps did not run.`);
  process.exit(1);
}
