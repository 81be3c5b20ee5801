import type { ManagedProcess } from './processes';

/**
 * Keeps one of the stack's processes running. The first start must succeed (a process that
 * cannot start at all, say for a bad setting, stops the stack with its message instead of
 * looping). After that, a process that exits on its own is started again after a pause that
 * doubles with each quick crash (1 s, 2 s, 4 s … 30 s) and falls back to 1 s once it has stayed
 * up for a minute; each restart is reported.
 */
export interface SupervisedProcess {
  name: string;
  /** Resolves when the first start is ready; rejects if it exits or times out first. */
  ready: Promise<void>;
  /** The pid of the process running now (a restart changes it). */
  pid(): number | undefined;
  /** Resolves when a restarted process is ready again (after a crash or a kill). */
  restarted(): Promise<number>;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  name: string;
  start: () => ManagedProcess;
  readyPattern: RegExp;
  readyTimeoutMs: number;
  say: (line: string) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Up this long, a crash counts as the first again. */
  stableMs?: number;
}

export function supervise(options: SuperviseOptions): SupervisedProcess {
  const { name, say } = options;
  const firstDelay = options.firstDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const stableMs = options.stableMs ?? 60_000;
  let stopped = false;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | undefined;
  let current: ManagedProcess;
  const onRestart = new Set<(pid: number) => void>();

  const run = (): ManagedProcess => {
    const process_ = options.start();
    const startedAt = Date.now();
    void process_.exited.then((code) => {
      if (stopped || !isReady) return;
      if (Date.now() - startedAt >= stableMs) delay = firstDelay;
      const how = process_.child.signalCode
        ? `was killed (${process_.child.signalCode})`
        : `exited (code ${code})`;
      say(`${name} ${how}; restarting it in ${delay / 1000} s`);
      timer = setTimeout(() => {
        timer = undefined;
        if (stopped) return;
        current = run();
        current.waitFor(options.readyPattern, options.readyTimeoutMs).then(
          () => {
            say(`${name} is running again (pid ${current.child.pid})`);
            for (const resolve of onRestart) resolve(current.child.pid!);
            onRestart.clear();
          },
          // Its exit is handled above, by the same rule.
          () => undefined,
        );
      }, delay);
      delay = Math.min(delay * 2, maxDelay);
    });
    return process_;
  };

  let isReady = false;
  current = run();
  const ready = current.waitFor(options.readyPattern, options.readyTimeoutMs).then(() => {
    isReady = true;
  });
  return {
    name,
    ready,
    pid: () => current.child.pid,
    restarted: () => new Promise((resolve) => onRestart.add(resolve)),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.stop();
    },
  };
}
