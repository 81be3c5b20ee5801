/**
 * Waits until the API's readiness route says ready (database, Temporal and storage answer), so
 * `npm start` says "up" only when a person can use the studio. A process listening is not enough:
 * on a loaded machine the API listens before its first query or call to Temporal succeeds.
 */
interface Readiness {
  status?: string;
  checks?: Record<string, { ok: boolean; error?: string }>;
}

export async function waitUntilReady(
  url: string,
  options: { timeoutMs: number; say: (line: string) => void; tellAfterMs?: number },
) {
  const started = Date.now();
  let told = false;
  let last: string;
  for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = (await response.json()) as Readiness;
      if (response.ok && body.status === 'ready') return;
      const failing = Object.entries(body.checks ?? {}).filter(([, check]) => !check.ok);
      last = failing.length
        ? `waiting for ${failing.map(([name]) => name).join(', ')}`
        : `answered ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    const waited = Date.now() - started;
    if (waited > options.timeoutMs) {
      throw new Error(
        `The studio did not get ready within ${options.timeoutMs / 1000} s (${last}).`,
      );
    }
    if (!told && waited > (options.tellAfterMs ?? 5000)) {
      told = true;
      options.say(`not ready yet (${last})…`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
