import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_USER } from '../core/demo';
import type { Stage } from '../core/stages';
import { auditSession } from './lib/audit';
import { FAULTS, type Fault } from './lib/faults';
import { startHarness, stopOnSignals, type Harness } from './lib/harness';
import { apiClient, completeJourney, createSession, type ApiClient } from './lib/journey';

/**
 * `npm run faults`: the embedded stack on free loopback ports, and one session on the local
 * studio per fault, driven through the whole journey over the API while the fault strikes (see
 * scripts/lib/faults.ts). Each session must complete; then the database and the store are
 * audited for anything lost or made twice. The last line is the summary; the exit code is 1 when
 * a session did not complete or a record is lost or duplicated. The processes' output goes to
 * data/faults/<time>.log.
 */
const root = resolve(import.meta.dirname, '..');
const logDir = join(root, 'data', 'faults');
mkdirSync(logDir, { recursive: true });
const logFile = join(logDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
const log = (line: string) => appendFileSync(logFile, `${line}\n`);
const say = (line: string) => {
  console.log(`faults  | ${line}`);
  log(`faults  | ${line}`);
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  fault: string;
  completed: boolean;
  lost: string[];
  duplicated: string[];
  retries: number;
}

async function main() {
  const only = process.argv[2];
  const faults = only ? FAULTS.filter((f) => f.name.includes(only)) : FAULTS;
  say(`starting the stack (logs: ${logFile})`);
  const harness = await startHarness({
    say,
    log,
    env: { ACCESS_TOKEN_TTL: '6h', GENERATION_RATE_LIMIT_PER_MINUTE: '1000' },
  });
  stopOnSignals(harness);
  const outcomes: Outcome[] = [];
  try {
    const api = apiClient(harness.apiUrl, { deadlineMs: 180_000 });
    await api.signIn(DEMO_USER.email, DEMO_USER.password);
    for (const fault of faults) outcomes.push(await runScenario(harness, api, fault));
  } finally {
    await harness.stop();
  }
  const completed = outcomes.filter((o) => o.completed).length;
  const lost = outcomes.reduce((n, o) => n + o.lost.length, 0);
  const duplicated = outcomes.reduce((n, o) => n + o.duplicated.length, 0);
  for (const problem of outcomes.flatMap((o) => [...o.lost, ...o.duplicated])) say(problem);
  console.log(
    `faults: ${outcomes.length} scenarios, ${completed} completed, ${lost} lost, ${duplicated} duplicated`,
  );
  process.exit(completed === outcomes.length && lost === 0 && duplicated === 0 ? 0 : 1);
}

async function runScenario(harness: Harness, api: ApiClient, fault: Fault): Promise<Outcome> {
  const started = Date.now();
  const sessionId = await createSession(api, `pink tennis shoes (${fault.name})`);
  say(`${fault.name}: session ${sessionId}`);
  let retries = 0;
  let seen = '';
  const journey = completeJourney(api, sessionId, {
    onState: (state) => {
      const now = `${state.stage} (version ${state.version})`;
      if (now !== seen) log(`faults  | ${sessionId} reads ${(seen = now)}`);
    },
    onRetry: (state) => {
      retries += 1;
      say(`  the session failed (${state.lastError?.code ?? 'no code'}); retrying it`);
    },
  });
  const strike = (async () => {
    await reach(api, sessionId, fault.during);
    say(`  at ${fault.during.join(' or ')}: injecting`);
    say(`  ${await fault.inject({ harness, api, sessionId, say })}`);
  })();
  let completed = false;
  try {
    await Promise.all([journey, strike]);
    completed = true;
  } catch (error) {
    say(`  did not complete: ${error instanceof Error ? error.message : String(error)}`);
    // Both must be settled before the next scenario starts.
    await Promise.allSettled([journey, strike]);
  }
  const audit = await auditSession(harness.db, harness.storageDir, sessionId);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  say(
    `  ${completed ? 'completed' : 'NOT completed'} in ${seconds} s` +
      (retries ? ` after ${retries} retr${retries === 1 ? 'y' : 'ies'} by its owner` : '') +
      `; ${audit.lost.length} lost, ${audit.duplicated.length} duplicated`,
  );
  return { fault: fault.name, completed, retries, ...audit };
}

/** Waits until the session is at one of the stages (reads as often as a fast client would). */
async function reach(api: ApiClient, id: string, stages: Stage[]) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const { state } = await api.read(id);
    if (stages.includes(state.stage)) return state;
    if (state.stage === 'completed') throw new Error(`the session finished before ${stages[0]}`);
    if (Date.now() > deadline) throw new Error(`the session never reached ${stages.join(', ')}`);
    await pause(100);
  }
}

main().catch((error: unknown) => {
  console.error(`faults failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
