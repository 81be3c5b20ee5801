import { appendFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_USER } from '../core/demo';
import { STAGES, type Stage } from '../core/stages';
import { startHarness, stopOnSignals } from './lib/harness';
import { apiClient, completeJourney, createSession } from './lib/journey';
import { cpuByTree, percentile, rssOfTree } from './lib/measure';
import { workerFigures } from './lib/worker-figures';

/**
 * `npm run load -- <n>` (default 50): n sessions at once on the local studio, each through the
 * whole journey over the API (approving as soon as a step waits), while a poller reads
 * GET /api/sessions/:id twenty times a second. Prints sessions per minute, p50/p95 of each
 * stage, the API's read latency under load and its 5xx answers, the worker's peak memory, and the
 * worker's own figures from the sessions' histories: workflow task latency (p99), activities'
 * schedule-to-start per task queue and render times. A benchmark: it measures
 * and prints, it asserts no times. The processes' output goes to data/load/<time>.log.
 */
const root = resolve(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 50);
if (!Number.isInteger(count) || count < 1) {
  console.error('Usage: npm run load -- <number of sessions>');
  process.exit(2);
}
const logDir = join(root, 'data', 'load');
mkdirSync(logDir, { recursive: true });
const logFile = join(logDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
const log = (line: string) => appendFileSync(logFile, `${line}\n`);
const say = (line: string) => {
  console.log(`load    | ${line}`);
  log(`load    | ${line}`);
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  say(`starting the stack on ${availableParallelism()} cores (logs: ${logFile})`);
  const harness = await startHarness({
    say,
    log,
    // One user drives every session: the per-user limits and quotas would stop the load itself.
    env: {
      ACCESS_TOKEN_TTL: '6h',
      GENERATION_RATE_LIMIT_PER_MINUTE: '100000',
      QUOTA_OPEN_SESSIONS: '0',
      QUOTA_ACTIONS_PER_MINUTE: '0',
    },
  });
  stopOnSignals(harness);
  let completed: number;
  try {
    const api = apiClient(harness.apiUrl, { deadlineMs: 600_000 });
    await api.signIn(DEMO_USER.email, DEMO_USER.password);

    let peakRss = 0;
    let peakTreeRss = 0;
    const sampler = setInterval(() => {
      const pid = harness.workers[0]?.pid();
      if (!pid) return;
      const { own, tree } = rssOfTree(pid);
      peakRss = Math.max(peakRss, own);
      peakTreeRss = Math.max(peakTreeRss, tree);
    }, 250);

    const stageTimes = new Map<Stage, number[]>();
    const readTimes: number[] = [];
    let readErrors = 0;
    const active = new Set<string>();
    let running = true;
    const poller = (async () => {
      while (running) {
        const ids = [...active];
        const id = ids[Math.floor(Math.random() * ids.length)];
        if (!id) {
          await pause(50);
          continue;
        }
        const started = performance.now();
        // Paced: twenty reads a second, more than any page makes (pages are pushed changes over
        // socket.io); a read loop without a pause is the API's own load, not a client's.
        const next = pause(50);
        try {
          await api.read(id);
        } catch {
          readErrors += 1;
        }
        readTimes.push(performance.now() - started);
        await next;
      }
    })();

    /** Where the machine's CPU goes: each part of the stack, read before and after the run. */
    const parts = () =>
      cpuByTree({
        'worker: media (activities, FFmpeg, voices)': harness.workers[0]?.pid(),
        'worker: workflows': harness.workflows.pid(),
        api: harness.api.pid(),
        'Temporal server': 'temporal',
        PostgreSQL: 'postgres',
      });
    const cpuBefore = parts();
    const clientBefore = process.cpuUsage();
    const started = Date.now();
    const sessionIds: string[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: count }, async (_, index) => {
        const id = await createSession(api, `pink tennis shoes no. ${index + 1}`);
        sessionIds.push(id);
        active.add(id);
        const firstSeen = new Map<Stage, number>();
        try {
          await completeJourney(api, id, {
            onState: (state) =>
              firstSeen.has(state.stage) || firstSeen.set(state.stage, Date.now()),
          });
        } finally {
          active.delete(id);
        }
        const order = [...firstSeen.entries()].sort((a, b) => a[1] - b[1]);
        order.forEach(([stage, at], i) => {
          const next = order[i + 1];
          if (!next) return;
          stageTimes.set(stage, [...(stageTimes.get(stage) ?? []), next[1] - at]);
        });
      }),
    );
    const totalMs = Date.now() - started;
    const cpuAfter = parts();
    const client = process.cpuUsage(clientBefore);
    cpuAfter.set('this load client (sessions and poller)', (client.user + client.system) / 1e6);
    running = false;
    await poller;
    clearInterval(sampler);
    completed = results.filter((r) => r.status === 'fulfilled').length;
    for (const failure of results.filter((r) => r.status === 'rejected').slice(0, 5)) {
      say(`a session did not complete: ${String(failure.reason)}`);
    }

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\n  Sessions        ${count} in ${s(totalMs)}`);
    console.log(`  Throughput      ${((completed / totalMs) * 60_000).toFixed(2)} sessions/min`);
    console.log('  Stage                        p50       p95');
    for (const stage of STAGES) {
      const times = stageTimes.get(stage);
      if (!times?.length) continue;
      console.log(
        `    ${stage.padEnd(26)} ${s(percentile(times, 50)).padStart(7)} ${s(percentile(times, 95)).padStart(9)}`,
      );
    }
    console.log(
      `  API reads       p50 ${percentile(readTimes, 50).toFixed(0)} ms, p99 ${percentile(readTimes, 99).toFixed(0)} ms (${readTimes.length} reads of GET /api/sessions/:id by the poller; ${readErrors} reads failed)`,
    );
    const fiveHundreds = [...api.serverErrors].map(([status, n]) => `${n} x ${status}`);
    console.log(
      `  API 5xx         ${[...api.serverErrors.values()].reduce((a, b) => a + b, 0)} answers${fiveHundreds.length ? ` (${fiveHundreds.join(', ')}; 503s were retried after their Retry-After)` : ''}`,
    );
    console.log(
      `  Worker memory   peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (with FFmpeg children ${(peakTreeRss / 1024 / 1024).toFixed(0)} MB)`,
    );
    const capacity = (totalMs / 1000) * availableParallelism();
    console.log(
      `  CPU             ${capacity.toFixed(0)} core-seconds in the run; by part of the stack:`,
    );
    for (const [part, after] of cpuAfter) {
      const used = after - (cpuBefore.get(part) ?? 0);
      console.log(
        `    ${part.padEnd(44)} ${`${used.toFixed(0)} s`.padStart(8)} ${`${((used / capacity) * 100).toFixed(1)} %`.padStart(8)}`,
      );
    }
    const figures = await workerFigures(harness.temporalAddress, sessionIds);
    for (const line of figures.lines) console.log(line);
    console.log('');
  } finally {
    await harness.stop();
  }
  console.log(`load: ${count} sessions, ${completed} completed`);
  process.exit(completed === count ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`load failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
