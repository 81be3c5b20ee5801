import { createLogger } from '../../core/log';
import { loadWorkerConfig } from '../../worker/config';
import { startWorkers } from '../../worker/workers';

/**
 * The real worker (main, render and, with a token, the replicate queue) as a child process that a
 * test can SIGKILL. Configured by environment like worker/main.ts, plus WORKFLOW_BUNDLE_PATH so it
 * starts without bundling. Prints "ready" once it polls.
 */
const config = loadWorkerConfig();
const running = await startWorkers(config, createLogger('worker', config.LOG_LEVEL), {
  workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
});
console.log('ready');
process.on('SIGTERM', () => void running.shutdown());
await running.done;
