import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError } from '../core/errors';
import type { SessionState } from '../core/session';
import { poolSizeOf } from '../db/client';
import type { Prisma, Session as SessionRow } from '../db/generated/client';
import { startSession } from '../workflows/client';
import type { SessionWorkflowInput } from '../workflows/session';
import { initialState } from '../workflows/state';
import type { ApiDeps } from './deps';
import { isServiceDown } from './unavailable';

/**
 * Starting a session exactly once. The client picks a key for its request (the Idempotency-Key
 * header; the new-session page makes one per visit) and the session id derives from it and the
 * user, so sending the request again can only reach the same session:
 *
 * - a session already started with that key is answered again, and nothing new starts;
 * - an error answer means nothing was started. When the start's answer is lost (Temporal slow,
 *   frozen or gone in the middle), the row is removed at once and the run the attempt may have
 *   made is terminated as soon as Temporal answers (trying for ten minutes), so a person who
 *   gives up pays for nothing; a retry with the same key starts afresh, replacing such a run.
 *
 * Each attempt has an id, written in the row (`start_attempt`) and in its run's memo, so undoing a
 * failed attempt never touches the row or the run of a later one. Attempts on one id are
 * serialised by a PostgreSQL advisory lock (two API instances, a double click).
 */
const NAMESPACE = Buffer.from('6f1c2d4e8a9b4c3d9e2f1a0b7c6d5e4f', 'hex');
const ABANDONED = 'the start of this session failed, and its owner was told nothing started';
/** How long a failed attempt keeps trying to undo its run while Temporal does not answer. */
const UNDO_PATIENCE_MS = 10 * 60_000;
/** How long a start may take on Temporal's side (its gRPC deadline). */
const START_DEADLINE_MS = 5_000;
/**
 * After Temporal answers again, how long a start it received while frozen may still be carried
 * out (its deadline counts from when it reads it), and a sync of an ended run still write its row
 * (a local activity of up to 10 s).
 */
const LAST_WORD_MS = 15_000;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** `session-<uuid v5 of user and key>`: the same key of the same user gives the same session. */
export function sessionIdFor(userId: string, key: string) {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(`${userId}\n${key}`)
    .digest()
    .subarray(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `session-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface StartRequest {
  input: SessionWorkflowInput;
  taskQueue: string;
  /** The row as the API writes it before the run starts. */
  row: Omit<Prisma.SessionUncheckedCreateInput, 'id' | 'startAttempt'>;
  /**
   * Checked once the row is written and before the run starts (the user's quotas count rows, so
   * two starts at once cannot both take the last place); throws, with the row removed, to refuse.
   */
  admit?: (sessionId: string) => Promise<void>;
}

export type StartAnswer =
  { started: true; state: SessionState } | { started: false; row: SessionRow };

interface Run {
  status: string;
  attempt: string | undefined;
}

/**
 * Whether a row is left over from an attempt that did not start its session: the run under its
 * id was started by another attempt (the row was written back by a late sync of an undone run),
 * was undone, or never landed. A run from before attempts were recorded is always the session.
 */
function isLeftOver(row: SessionRow, run: Run | null) {
  // No run: either Temporal no longer keeps a finished one (its row has the state the worker
  // wrote), or an attempt's start never landed and its row could not be removed.
  if (!run) return row.startAttempt !== null && row.state === null;
  if (run.attempt === undefined) return false;
  return run.attempt !== row.startAttempt || run.status === 'TERMINATED';
}

/** At most `size` of the given tasks run at once; the others wait their turn, in order. */
function slots(size: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}

export function sessionStarter(deps: ApiDeps) {
  const { db, log } = deps;
  // Half the pool: the other half serves what the locked work asks for.
  const lockSlots = slots(Math.max(1, Math.floor(poolSizeOf(db) / 2)));

  /**
   * Runs `work` holding the lock of one session id (in this database, for every API). The lock's
   * transaction holds a pooled connection while `work` takes others: at most half the pool's worth
   * run at once in this process, or a burst of starts would hold every connection and wait for one
   * forever (issue 19: ten starts at once answered 500 after the transactions' timeouts).
   */
  const locked = <T>(id: string, work: () => Promise<T>) =>
    lockSlots.run(() =>
      db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${id}, 727002))`;
          return work();
        },
        { maxWait: 10_000, timeout: 60_000 },
      ),
    );

  /** The run now under this id and the attempt that started it; null if there is none. */
  async function currentRun(client: Client, id: string): Promise<Run | null> {
    try {
      const described = await client.workflow.getHandle(id).describe();
      const memo = described.memo;
      const attempt = memo?.startAttempt;
      return {
        status: described.status.name,
        attempt: typeof attempt === 'string' ? attempt : undefined,
      };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /**
   * Undoes an attempt's run, if it started one: terminates it, and removes the row a sync of it
   * may have written. Returns false while Temporal cannot say.
   */
  async function undoRun(id: string, attempt: string): Promise<boolean> {
    try {
      await locked(id, async () => {
        const client = await deps.temporal();
        const run = await currentRun(client, id);
        if (run?.attempt !== attempt) return; // none, or a later attempt's: not ours to end
        if (run.status === 'RUNNING') await client.workflow.getHandle(id).terminate(ABANDONED);
        await db.session.deleteMany({
          where: { id, OR: [{ startAttempt: attempt }, { startAttempt: null }] },
        });
      });
      return true;
    } catch (error) {
      if (isServiceDown(error)) return false;
      throw error;
    }
  }

  /**
   * Undoes the attempt once Temporal answers, trying with backoff for a while; then once more:
   * a Temporal that was frozen may still carry out the start it had received, and a sync already
   * under way when the run ended may still write its row.
   */
  async function undoWhenTemporalAnswers(id: string, attempt: string) {
    const giveUpAt = Date.now() + UNDO_PATIENCE_MS;
    for (let pause = 500; !(await undoRun(id, attempt)); pause = Math.min(pause * 2, 10_000)) {
      if (Date.now() > giveUpAt) throw new Error('Temporal did not answer');
      await wait(pause);
    }
    await wait(LAST_WORD_MS);
    await undoRun(id, attempt);
  }

  /** Undoes under way, so tests (and a stopping API) can wait for them. */
  const undoing = new Set<Promise<void>>();
  function undoInBackground(id: string, attempt: string) {
    const done = undoWhenTemporalAnswers(id, attempt)
      .catch((error: unknown) =>
        log.error('could not undo a failed session start', { sessionId: id, error }),
      )
      .finally(() => undoing.delete(done));
    undoing.add(done);
  }

  /**
   * Starts the session `request.input.sessionId`, or answers the one already started under that
   * id. Throws SERVICE_UNAVAILABLE, with nothing left running, when the start is not confirmed.
   */
  async function start(request: StartRequest): Promise<StartAnswer> {
    const id = request.input.sessionId;
    const attempt = randomUUID();
    const outcome = await locked(id, async () => {
      const existing = await db.session.findUnique({ where: { id } });
      if (existing) {
        const run = await currentRun(await deps.temporal(), id);
        if (!isLeftOver(existing, run)) return { started: false as const, row: existing };
        // What an attempt that did not start its session left behind (and what a run it may have
        // made wrote): cleared, and started afresh below.
        await db.session.delete({ where: { id } });
      }
      await db.session.create({ data: { ...request.row, id, startAttempt: attempt } });
      await request.admit?.(id);
      try {
        const client = await deps.temporal();
        await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
          startSession(client, request.taskQueue, request.input, attempt),
        );
        return {
          started: true as const,
          state: initialState(request.input, new Date().toISOString()),
        };
      } catch (error) {
        // Nothing shows what did not start: the row goes now, the run (if any) below.
        await db.session.deleteMany({ where: { id, startAttempt: attempt } });
        return { started: undefined, error };
      }
    });
    if (outcome.started !== undefined) return outcome;
    log.warn('a session start failed; undoing it', { sessionId: id, error: outcome.error });
    undoInBackground(id, attempt);
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'The studio could not start the session, and nothing was started. Try again in a moment.',
    );
  }

  return {
    start,
    /** Resolves when every undo under way has finished. */
    idle: async () => {
      while (undoing.size) await Promise.all(undoing);
    },
  };
}
