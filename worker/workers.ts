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
  createBookkeepingActivities,
  createClipFinishingQueueActivities,
  createGenerationQueueActivities,
  createRenderQueueActivities,
  createStudioQueueActivities,
} from '../activities';
import { clipFinishingTaskQueue, providerTaskQueue, recordsTaskQueue } from '../core/queues';
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

/**
 * A workflow task is milliseconds of JavaScript, and they come in bursts (sessions starting
 * together, a step's writes finishing together): more slots than the SDK's 40, and pollers that
 * grow with the backlog instead of a fixed 10, from at least 10 waiting (the SDK keeps 1 when
 * idle, and a burst then waited for pollers: `npm run load -- 50`, tasks' wait for a worker p99
 * 386 ms with the SDK's 1 to 5, 186 ms with 10 to 20).
 */
const WORKFLOW_TASK_TUNING = {
  maxConcurrentWorkflowTaskExecutions: 100,
  workflowTaskPollerBehavior: { type: 'autoscaling', minimum: 10, initial: 20, maximum: 50 },
} as const;

/** Row writes wait on PostgreSQL, not on a core: many run at once in the workflows' process. */
const RECORDS_CONCURRENCY = 50;

let runtimeInstalled = false;

/**
 * The workers of one process, on one connection, by role (WORKER_ROLE). `workflows`: the session
 * workflows on the main queue and their row writes (the records queue; local activities for runs
 * from before PATCHES.writesAsActivities) and nothing else, so a workflow task never waits behind
 * CPU-heavy JavaScript. `activities`: the main queue's
 * activities (generation, scoring), the render queue (CPU-bound renders, one per core), the
 * clip-finishing queue (models' clips brought to format, one per core) and, with
 * a Replicate token, that provider's queue. `all`: both. A task queue keeps workflow and activity
 * tasks apart, so the two roles share the main queue's name without taking each other's work.
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
  const runsWorkflows = config.WORKER_ROLE !== 'activities';
  const runsActivities = config.WORKER_ROLE !== 'workflows';
  const common = { connection, namespace: config.TEMPORAL_NAMESPACE, ...HEARTBEAT_TUNING };
  const bundle = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath };

  const workers: Worker[] = [];
  /** What this process polls, for its log line. */
  const polls: string[] = [];
  workers.push(
    await Worker.create({
      ...common,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      ...(runsWorkflows ? { ...bundle, ...WORKFLOW_TASK_TUNING } : {}),
      activities: createStudioQueueActivities(deps),
      // Beside the workflows of a `workflows` process run only their local activities.
      enableNonLocalActivities: runsActivities,
      maxConcurrentActivityTaskExecutions: config.ACTIVITY_CONCURRENCY,
    }),
  );
  polls.push(`${config.TEMPORAL_TASK_QUEUE} (${config.WORKER_ROLE})`);
  if (runsWorkflows) {
    // The sessions' row writes: milliseconds each, beside the workflows that ask for them.
    const queue = recordsTaskQueue(config.TEMPORAL_TASK_QUEUE);
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: queue,
        activities: createBookkeepingActivities(deps),
        maxConcurrentActivityTaskExecutions: RECORDS_CONCURRENCY,
      }),
    );
    polls.push(queue);
  }
  if (runsActivities) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: config.TEMPORAL_RENDER_TASK_QUEUE,
        activities: createRenderQueueActivities(deps),
        maxConcurrentActivityTaskExecutions: config.RENDER_CONCURRENCY,
      }),
    );
    polls.push(config.TEMPORAL_RENDER_TASK_QUEUE);
    // Models' clips are finished here whatever the provider: it needs no credentials.
    const finishing = clipFinishingTaskQueue(config.TEMPORAL_TASK_QUEUE);
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: finishing,
        activities: createClipFinishingQueueActivities(deps),
        maxConcurrentActivityTaskExecutions: config.CLIP_FINISHING_CONCURRENCY,
      }),
    );
    polls.push(finishing);
    // With a Replicate token, this worker also serves that provider's own queue.
    if (deps.replicate) {
      const queue = providerTaskQueue(config.TEMPORAL_TASK_QUEUE, 'replicate');
      workers.push(
        await Worker.create({
          ...common,
          taskQueue: queue,
          activities: createGenerationQueueActivities(deps.replicate),
          maxConcurrentActivityTaskExecutions: config.PROVIDER_ACTIVITY_CONCURRENCY,
        }),
      );
      polls.push(queue);
    }
  }

  const done = Promise.all(workers.map((w) => w.run())).finally(async () => {
    await deps.close();
    await connection.close();
    await work.release();
  });
  return {
    done: done.then(() => undefined),
    providers: deps.replicate ? ['local', 'replicate'] : ['local'],
    polls,
    shutdown: async () => {
      for (const worker of workers) worker.shutdown();
      await done;
    },
  };
}
