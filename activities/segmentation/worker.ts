import { parentPort } from 'node:worker_threads';
import { ApplicationFailure } from '@temporalio/common';
import { locateProduct, type LocateJob } from '../fidelity/locate';
import { loadSaliencyModel, type SaliencyModel } from './model';
import { runCutout, type CutoutJob } from './pipeline';

/**
 * The segmentation worker thread: runs cutouts and product searches one at a time, so the model
 * (loaded once, on first use) and every pixel loop stay off the activity worker's event loop.
 * Messages: `{ id, kind, job }` in; `{ id, progress }`, then `{ id, result }` or `{ id, error }` out.
 */

export type WorkerJob = { kind: 'cutout'; job: CutoutJob } | { kind: 'locate'; job: LocateJob };

export interface WorkerReply {
  id: number;
  progress?: number;
  result?: unknown;
  error?: { message: string; code?: string | undefined; nonRetryable?: boolean | undefined };
}

let loading: Promise<SaliencyModel> | undefined;
const model = () => {
  loading ??= loadSaliencyModel();
  // A failed load is tried again by the next job (the file may have been installed meanwhile).
  loading.catch(() => (loading = undefined));
  return loading;
};

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread (see runner.ts)');

port.on('message', (message: { id: number } & WorkerJob) => {
  const { id } = message;
  const progress = (fraction: number) => port.postMessage({ id, progress: fraction });
  const work =
    message.kind === 'cutout'
      ? runCutout(model, message.job, progress)
      : locateProduct(model, message.job);
  work.then(
    (result) => port.postMessage({ id, result } satisfies WorkerReply),
    (error: unknown) => {
      const failure = error instanceof ApplicationFailure ? error : undefined;
      port.postMessage({
        id,
        error: {
          message: error instanceof Error ? error.message : String(error),
          code: failure?.type ?? undefined,
          nonRetryable: failure?.nonRetryable ?? undefined,
        },
      } satisfies WorkerReply);
    },
  );
});
