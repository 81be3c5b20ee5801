import { getPriority, setPriority } from 'node:os';
import { ConfigError } from '../core/env';
import { createLogger } from '../core/log';
import { loadWorkerConfig } from './config';
import { TemporalSetupError } from './temporal-setup';
import { startWorkers } from './workers';

/** The worker process: runs session workflows and their activities until told to stop. */
async function main() {
  // `worker/main.ts workflows|activities|all` names the role on the command line (ps shows it).
  const role = process.argv[2];
  const config = loadWorkerConfig(role ? { ...process.env, WORKER_ROLE: role } : process.env);
  const log = createLogger('worker', config.LOG_LEVEL);
  if (config.WORKER_ROLE === 'activities' && config.WORK_NICENESS > 0) {
    // Media work yields the CPU: workflow tasks, the API and the databases answer first, and the
    // FFmpeg, voice and image work this process starts (children inherit it) takes what is left.
    setPriority(Math.min(19, getPriority() + config.WORK_NICENESS));
  }
  const running = await startWorkers(config, log);
  log.info(
    `polling task queues ${running.polls.join(', ')} on ${config.TEMPORAL_ADDRESS}; providers: ${running.providers.join(', ')}`,
  );
  await running.done;
  log.info('stopped');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof TemporalSetupError) {
    console.error(`[worker] ${error.message}`);
  } else console.error('[worker] failed:', error);
  process.exit(1);
});
