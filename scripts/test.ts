import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm test`: every test on real services, with lint, format check and type checks (API and UI)
 * side by side beside them.
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

type Step = (typeof steps)[number];

/** Unix nice steps the checks yield to the tests. */
const CHECK_NICENESS = 10;

/** Runs a step with its output on this terminal as it comes, without blocking this process. */
function runLive(step: Step) {
  return new Promise<boolean>((done) => {
    console.log(`\n▶ ${step.name}`);
    const started = Date.now();
    const child = spawn(step.command, step.args, { cwd: step.cwd ?? root, stdio: 'inherit' });
    const finish = (ok: boolean) => {
      results.push({ name: step.name, ok, seconds: (Date.now() - started) / 1000 });
      done(ok);
    };
    child.on('error', () => finish(false));
    child.on('close', (code) => finish(code === 0));
  });
}

/**
 * Runs checks side by side (each is one process on one core: ESLint alone takes about two
 * minutes, the others together half a minute), at a lower CPU priority than the tests that run
 * beside them: the tests wait on services much of the time, and the checks fill those gaps
 * instead of adding two minutes in front of the tests. Each check's output is printed whole
 * once the tests are over, so it does not cut through theirs.
 */
function startChecks(group: Step[]) {
  return group.map(
    (step) =>
      new Promise<{ step: Step; ok: boolean; seconds: number; output: string }>((done) => {
        const started = Date.now();
        const chunks: Buffer[] = [];
        const child = spawn(step.command, step.args, {
          cwd: step.cwd ?? root,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        if (child.pid !== undefined) {
          try {
            setPriority(child.pid, CHECK_NICENESS);
          } catch {
            // Not allowed to lower its priority here: it runs at ours.
          }
        }
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
        const finish = (ok: boolean) =>
          done({
            step,
            ok,
            seconds: (Date.now() - started) / 1000,
            output: Buffer.concat(chunks).toString(),
          });
        child.on('error', (error) => {
          chunks.push(Buffer.from(`${error.message}\n`));
          finish(false);
        });
        child.on('close', (code) => finish(code === 0));
      }),
  );
}

if (filters.length) {
  await runLive(selected[0]!);
} else {
  const [sync, ...rest] = steps;
  const checks = rest.slice(0, -1);
  const tests = rest.at(-1)!;
  if (await runLive(sync!)) {
    const running = startChecks(checks);
    await runLive(tests);
    for (const run of await Promise.all(running)) {
      console.log(`\n▶ ${run.step.name}`);
      if (run.output.trim()) process.stdout.write(run.output);
      results.push({ name: run.step.name, ok: run.ok, seconds: run.seconds });
    }
  }
}

console.log('\nSummary');
for (const r of results)
  console.log(`  ${r.ok ? '✓' : '✗'} ${r.name.padEnd(26)} ${r.seconds.toFixed(1)} s`);
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  console.log(`\n${failed.map((r) => r.name).join(', ')} failed.`);
  process.exit(1);
}
