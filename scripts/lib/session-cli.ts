import type { Client } from '@temporalio/client';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { SessionState } from '../../core/session';
import { isStage } from '../../core/stages';
import type { Db } from '../../db/client';
import { MIGRATIONS_TABLE, listMigrations } from '../../db/migrate';
import { writeSessionState } from '../../db/session-state';
import { actionUpdates, cancelSignal, stateQuery } from '../../workflows/messages';
import { checkServerNeeds, describeServerNeeds, isSatisfied } from '../../worker/temporal-setup';
import { SEARCH_ATTRIBUTES } from '../../core/search-attributes';

/**
 * `npm run session -- <verb>`: what an operator does with sessions, from a terminal. The
 * database lists and explains them; Temporal acts on them and replays their histories against
 * the current workflow code. Each verb returns its lines, so tests read exactly what people see.
 */
export interface SessionCliDeps {
  db: Db;
  temporal: () => Promise<Client>;
  namespace: string;
  /** Temporal UI's base URL, for links. */
  temporalUi: string;
  /** How the replay worker loads the workflow code (the source path, or a prebuilt bundle). */
  replay: Pick<ReplayWorkerOptions, 'workflowsPath' | 'workflowBundle'>;
}

export const USAGE = `usage: npm run session -- <verb>
  list [--stage <stage>]   sessions, newest first (e.g. --stage failed)
  inspect <id>             state, last error, cost ledger and the Temporal UI link
  retry <id>               retry the step that failed
  cancel <id>              cancel the session (its assets are kept)
  replay <id>              replay its history against the current workflow code
  replay --all-open        before a deploy: check that Temporal has what this code needs, list
                           pending migrations, and replay every open session's history`;

/** Lines that make the command fail (exit 1): non-determinism, or a server not ready. */
export const isFailureLine = (line: string) => /NONDETERMINISM|^NOT READY/.test(line);

export class UsageError extends Error {}

export async function runSessionCommand(argv: string[], deps: SessionCliDeps): Promise<string[]> {
  const [verb, ...rest] = argv;
  const id = () => {
    const value = rest[0];
    if (!value || value.startsWith('--')) throw new UsageError(`${verb} needs a session id`);
    return value;
  };
  switch (verb) {
    case 'list':
      return list(deps, option(rest, '--stage'));
    case 'inspect':
      return inspect(deps, id());
    case 'retry': {
      const handle = (await deps.temporal()).workflow.getHandle(id());
      await handle.executeUpdate(actionUpdates.retry, { args: [{}] });
      const state = await handle.query(stateQuery);
      // The row answers reads: it shows the retry at once, as the API's actions do.
      await writeSessionState(deps.db, state);
      return [`${state.sessionId}: retrying, now ${state.stage}`];
    }
    case 'cancel': {
      const handle = (await deps.temporal()).workflow.getHandle(id());
      await handle.signal(cancelSignal, { reason: 'cancelled by an operator' });
      return [`${handle.workflowId}: cancel sent`];
    }
    case 'replay':
      return rest[0] === '--all-open' ? replayOpen(deps) : replayOne(deps, id());
    default:
      throw new UsageError(verb ? `unknown verb "${verb}"` : 'no verb given');
  }
}

function option(args: string[], name: string) {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (!isStage(value)) throw new UsageError(`${name} needs a stage, e.g. ${name} failed`);
  return value;
}

const usd = (value: unknown) => `$${Number(value).toFixed(2)}`;

async function list(deps: SessionCliDeps, stage: string | undefined) {
  const rows = await deps.db.session.findMany({
    where: stage ? { stage } : {},
    orderBy: { updatedAt: 'desc' },
    take: 100,
    include: { user: { select: { email: true } } },
  });
  if (!rows.length) return [stage ? `no ${stage} sessions` : 'no sessions'];
  return rows.map((r) =>
    [
      r.id,
      r.stage.padEnd(24),
      usd(r.totalCostUsd).padStart(8),
      r.updatedAt.toISOString(),
      r.user.email,
      JSON.stringify(r.title),
    ].join('  '),
  );
}

async function inspect(deps: SessionCliDeps, id: string) {
  const row = await deps.db.session.findUnique({
    where: { id },
    include: { user: { select: { email: true } }, costs: { orderBy: { createdAt: 'asc' } } },
  });
  if (!row) throw new UsageError(`no session ${id}`);
  const lines = [
    `session   ${row.id}`,
    `title     ${row.title}`,
    `user      ${row.user.email}`,
    `stage     ${row.stage}`,
    `cost      ${usd(row.totalCostUsd)} of ${usd(row.budgetUsd)}`,
    `updated   ${row.updatedAt.toISOString()}`,
  ];
  const error = row.lastError as SessionState['lastError'] | null;
  if (error) {
    lines.push(
      `error     ${error.code} at ${error.stage} (${error.provider ?? '?'} ${error.model ?? ''}): ${error.message}`,
    );
  }
  lines.push(`workflow  ${await workflowStatus(deps, id)}`);
  lines.push(
    `Temporal  ${deps.temporalUi}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(id)}`,
  );
  lines.push(`ledger    ${row.costs.length} calls`);
  for (const c of row.costs) {
    lines.push(
      `  ${c.createdAt.toISOString()}  ${c.stage.padEnd(18)} ${c.agent.padEnd(8)} ${c.model.padEnd(28)} ${usd(c.costUsd).padStart(7)}  ${c.success ? 'ok' : `failed: ${c.error ?? ''}`}`,
    );
  }
  return lines;
}

async function workflowStatus(deps: SessionCliDeps, id: string) {
  try {
    const handle = (await deps.temporal()).workflow.getHandle(id);
    const described = await handle.describe();
    const status = described.status.name;
    if (status !== 'RUNNING') return `${status} (run ${described.runId})`;
    const state = await handle.query(stateQuery);
    return `RUNNING at ${state.stage}, version ${state.version} (run ${described.runId})`;
  } catch (error) {
    return `not in Temporal (${error instanceof Error ? error.name : 'unknown'}); served from the database`;
  }
}

async function replayOne(deps: SessionCliDeps, id: string) {
  const history = await (await deps.temporal()).workflow.getHandle(id).fetchHistory();
  try {
    await Worker.runReplayHistory(deps.replay, history, id);
    return [`${id}: replays cleanly`];
  } catch (error) {
    return [`${id}: NONDETERMINISM ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * The pre-deploy check. Replays pass even when the new code cannot run: a history replays the
 * branches it took, and only what the code does next needs the server (say, a search attribute
 * the new code upserts). So the server is checked first, then the schema, then the histories.
 */
async function replayOpen(deps: SessionCliDeps) {
  const client = await deps.temporal();
  const needs = await checkServerNeeds(client.connection, deps.namespace);
  const lines: string[] = isSatisfied(needs)
    ? [
        `temporal: namespace ${deps.namespace} has the ${Object.keys(SEARCH_ATTRIBUTES).length} search attributes this code needs`,
      ]
    : describeServerNeeds(needs).map((line, i) => (i === 0 ? `NOT READY: ${line}` : line));
  lines.push(await pendingMigrations(deps.db));
  const histories = client.workflow
    .list({ query: `WorkflowType = 'sessionWorkflow' AND ExecutionStatus = 'Running'` })
    .intoHistories();
  let failed = 0;
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(deps.replay, histories)) {
    replayed++;
    if (result.error) {
      failed++;
      lines.push(`${result.workflowId}: NONDETERMINISM ${result.error.message}`);
    } else {
      lines.push(`${result.workflowId}: replays cleanly`);
    }
  }
  lines.push(`replayed ${replayed} open sessions, ${failed} nondeterministic`);
  return lines;
}

/** Migrations the next start applies (informational: starting applies them). */
async function pendingMigrations(db: Db) {
  const files = await listMigrations();
  const applied = await db
    .$queryRawUnsafe<Array<{ name: string }>>(`SELECT name FROM "${MIGRATIONS_TABLE}"`)
    .catch(() => [] as Array<{ name: string }>);
  const done = new Set(applied.map((r) => r.name));
  const pending = files.filter((m) => !done.has(m.name)).map((m) => m.name);
  return pending.length
    ? `database: the next start applies ${pending.length} migrations: ${pending.join(', ')}`
    : 'database: every migration is applied';
}
