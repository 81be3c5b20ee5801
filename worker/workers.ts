import { fileURLToPath } from 'node:url';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import type { Logger } from '../core/log';
import {
  createActivityDeps,
  createGenerationQueueActivities,
  createRenderQueueActivities,
  createStudioQueueActivities,
} from '../activities';
import { providerTaskQueue } from '../core/queues';
import type { WorkerConfig } from './config';
import { ensureServerNeeds } from './temporal-setup';
import { claimWorkDir } from './work-dir';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Heartbeats reach the server at least every second (the SDK would otherwise hold them for up to
 * 80% of the heartbeat timeout): progress shows up promptly and cancellation, which Temporal
 * delivers in answer to a heartbeat, stops FFmpeg within a second.
 */
export const HEARTBEAT_TUNING = {
  maxHeartbeatThrottleInterval: '1 second',
  defaultHeartbeatThrottleInterval: '1 second',
} as const;

let runtimeInstalled = false;

/**
 * Two workers on one connection: the main queue runs workflows and the I/O-bound activities; the
 * render queue runs only the CPU-bound render with low concurrency, so renders never starve
 * generation and more render capacity is more processes on that queue.
 */
export async function startWorkers(
  config: WorkerConfig,
  log: Logger,
  options: { workflowBundle?: WorkflowBundleOption } = {},
) {
  if (!runtimeInstalled) {
    // Let our own shutdown logic (and the stack script) decide when to stop, with no SDK noise.
    // The SDK's own log follows ours, one level quieter: its INFO lines are per-state-change noise.
    const sdkLevel =
      config.LOG_LEVEL === 'debug' ? 'INFO' : config.LOG_LEVEL === 'error' ? 'ERROR' : 'WARN';
    Runtime.install({
      logger: new DefaultLogger(sdkLevel),
      shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
    });
    runtimeInstalled = true;
  }
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // A Temporal that lacks what this code upserts would fail every session's next step.
  const registered = await ensureServerNeeds(connection, config.TEMPORAL_NAMESPACE).catch(
    async (error: unknown) => {
      await connection.close();
      throw error;
    },
  );
  if (registered.length) {
    log.info(`registered on Temporal (${config.TEMPORAL_NAMESPACE}): ${registered.join(', ')}`);
  }
  // Media is made in a folder of this process's own; what killed workers left is removed.
  const work = await claimWorkDir(config.WORK_DIR);
  if (work.removed.length) {
    log.info(`removed what stopped workers left in ${config.WORK_DIR}: ${work.removed.join(', ')}`);
  }
  const deps = await createActivityDeps({ ...config, WORK_DIR: work.dir }, log);

  const main = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createStudioQueueActivities(deps),
    maxConcurrentActivityTaskExecutions: config.ACTIVITY_CONCURRENCY,
    ...HEARTBEAT_TUNING,
  });
  const render = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_RENDER_TASK_QUEUE,
    activities: createRenderQueueActivities(deps),
    maxConcurrentActivityTaskExecutions: config.RENDER_CONCURRENCY,
    ...HEARTBEAT_TUNING,
  });

  // With a Replicate token, this worker also serves that provider's own queue.
  const replicate = deps.replicate
    ? await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: providerTaskQueue(config.TEMPORAL_TASK_QUEUE, 'replicate'),
        activities: createGenerationQueueActivities(deps.replicate),
        maxConcurrentActivityTaskExecutions: config.ACTIVITY_CONCURRENCY,
        ...HEARTBEAT_TUNING,
      })
    : undefined;
  const workers = [main, render, ...(replicate ? [replicate] : [])];

  const done = Promise.all(workers.map((w) => w.run())).finally(async () => {
    await deps.close();
    await connection.close();
    await work.release();
  });
  return {
    done: done.then(() => undefined),
    providers: replicate ? ['local', 'replicate'] : ['local'],
    shutdown: async () => {
      for (const worker of workers) worker.shutdown();
      await done;
    },
  };
}
