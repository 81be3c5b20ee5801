import { Worker } from 'node:worker_threads';
import { businessFailure, isErrorCode } from '../../core/errors';
import type { CallContext } from '../providers/types';
import type { WorkerJob, WorkerReply } from './worker';
import type { CutoutResult } from './pipeline';
import type { Located } from '../fidelity/locate';

/**
 * Runs segmentation jobs in one worker thread per process, one job at a time (the model uses both
 * cores by itself). A caller waiting in the queue or on a running job reports progress every
 * second, which activities turn into heartbeats; cancelling a running job ends the thread (a
 * new one starts for the next job), cancelling a queued one just drops it.
 */

const BEAT_MS = 1000;

interface Pending {
  id: number;
  message: WorkerJob;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Reports the job's progress (and remembers it for the heartbeats while it waits). */
  progress: (fraction: number) => void;
}

let worker: Worker | undefined;
let nextId = 1;
const queue: Pending[] = [];
let running: Pending | undefined;

function startWorker(): Worker {
  // Workers do not inherit the parent's module loader: tsx is registered in the thread itself.
  const thread = new Worker(new URL('./worker.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
  });
  thread.on('message', (reply: WorkerReply) => {
    const job = running;
    if (!job || job.id !== reply.id) return;
    if (reply.progress !== undefined) {
      job.progress(reply.progress);
      return;
    }
    running = undefined;
    if (reply.error) {
      const { code, message, nonRetryable } = reply.error;
      job.reject(
        nonRetryable && isErrorCode(code) ? businessFailure(code, message) : new Error(message),
      );
    } else {
      job.resolve(reply.result);
    }
    pump();
  });
  thread.on('error', (error: Error) => fail(thread, error));
  thread.on('exit', (code) =>
    fail(thread, new Error(`The segmentation thread stopped (${code}).`)),
  );
  // Unref'd after the listeners (adding a message listener refs it again): an idle thread never
  // keeps a finished process alive.
  thread.unref();
  return thread;
}

/** The thread died or was ended: its running job fails (retryably) and the queue goes on. */
function fail(thread: Worker, error: Error) {
  if (worker !== thread) return;
  worker = undefined;
  const job = running;
  running = undefined;
  job?.reject(error);
  pump();
}

function pump() {
  if (running) return;
  const job = queue.shift();
  if (!job) return;
  running = job;
  worker ??= startWorker();
  worker.postMessage({ id: job.id, ...job.message });
}

function submit<T>(message: WorkerJob, ctx: CallContext | undefined): Promise<T> {
  ctx?.signal?.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    let last = 0;
    const job: Pending = {
      id: nextId++,
      message,
      resolve: resolve as (value: unknown) => void,
      reject,
      progress: (fraction) => {
        last = fraction;
        ctx?.onProgress?.(fraction);
      },
    };
    const beat = setInterval(() => ctx?.onProgress?.(last), BEAT_MS);
    const onAbort = () => {
      const reason: unknown = ctx?.signal?.reason ?? new Error('cancelled');
      if (running === job) {
        const thread = worker;
        worker = undefined;
        running = undefined;
        void thread?.terminate();
        pump();
      } else {
        queue.splice(queue.indexOf(job), 1);
      }
      job.reject(reason);
    };
    ctx?.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearInterval(beat);
      ctx?.signal?.removeEventListener('abort', onAbort);
    };
    job.resolve = (value) => {
      settle();
      resolve(value as T);
    };
    job.reject = (error) => {
      settle();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    queue.push(job);
    pump();
  });
}

export function cutoutInWorker(
  job: Extract<WorkerJob, { kind: 'cutout' }>['job'],
  ctx?: CallContext,
) {
  return submit<CutoutResult>({ kind: 'cutout', job }, ctx);
}

export function locateInWorker(
  job: Extract<WorkerJob, { kind: 'locate' }>['job'],
  ctx?: CallContext,
) {
  return submit<Located>({ kind: 'locate', job }, ctx);
}

/** Ends the thread (tests and scripts that want to exit promptly; it is unref'd otherwise). */
export async function stopSegmentationWorker() {
  const thread = worker;
  worker = undefined;
  await thread?.terminate();
}
