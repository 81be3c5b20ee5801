import { createServer } from 'node:net';
import { lazyTemporalClient } from '../api/temporal';

/**
 * How soon the API learns that Temporal is down (what its 503 waits for): connecting to a port
 * where nothing answers, five times. Prints the figures; asserts nothing (a loaded machine is
 * slower, and that is not a failure). `npm run bench:unavailable`.
 */
const closedPort = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const temporal = lazyTemporalClient({ address: `127.0.0.1:${closedPort}`, namespace: 'default' });
  const started = performance.now();
  await temporal.get().catch(() => undefined);
  times.push(performance.now() - started);
  await temporal.close();
}
times.sort((a, b) => a - b);
console.log(
  `Temporal down: the client gives up after ${times.map((t) => t.toFixed(0)).join(', ')} ms ` +
    `(median ${times[2]!.toFixed(0)} ms; the API promises an answer within a second)`,
);
