/**
 * Keeps one of the stack's services (PostgreSQL, the Temporal dev server) running, as
 * `supervise()` keeps the worker, the API and the web UI: the first start must succeed (a
 * service that cannot start at all stops the stack with its message); after that, one that stops
 * on its own is started again after a pause that doubles with each quick failure (1 s, 2 s,
 * 4 s … 30 s) and falls back to 1 s once it has stayed up for a minute. A start that fails (say,
 * PostgreSQL finding its shared memory still held by a dying backend) counts as a quick failure.
 * Each restart is reported.
 */
export interface Service {
  /** Resolves when it has stopped, saying how: "was killed (SIGKILL)", "exited (code 1)". */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface SupervisedService<S extends Service> {
  /** The instance running now (a restart replaces it). */
  current(): S;
  /** Resolves with the next instance that a restart brings up. */
  restarted(): Promise<S>;
  stop(): Promise<void>;
}

export async function superviseService<S extends Service>(options: {
  name: string;
  start: () => Promise<S>;
  say: (line: string) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
  stableMs?: number;
}): Promise<SupervisedService<S>> {
  const { name, say } = options;
  const firstDelay = options.firstDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const stableMs = options.stableMs ?? 60_000;
  let stopped = false;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Set<(service: S) => void>();

  let current = await options.start();
  const watch = (service: S, startedAt: number) => {
    void service.exited.then((how) => {
      if (stopped) return;
      if (Date.now() - startedAt >= stableMs) delay = firstDelay;
      say(`${name} ${how}; restarting it in ${delay / 1000} s`);
      restartLater();
    });
  };
  const restartLater = () => {
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      const startedAt = Date.now();
      options.start().then(
        (service) => {
          if (stopped) return void service.stop();
          current = service;
          say(`${name} is running again`);
          for (const resolve of waiting) resolve(service);
          waiting.clear();
          watch(service, startedAt);
        },
        (error: unknown) => {
          if (stopped) return;
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          say(`${name} did not start (${reason}); trying again in ${delay / 1000} s`);
          restartLater();
        },
      );
    }, delay);
    delay = Math.min(delay * 2, maxDelay);
  };
  watch(current, Date.now());

  return {
    current: () => current,
    restarted: () => new Promise((resolve) => waiting.add(resolve)),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.stop();
    },
  };
}
