import net from 'node:net';

/** True when nothing listens on host:port. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free right now (for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `count` different ports the OS says are free right now (for tests). They are held open until
 * all are known: one `freePort()` after another can be handed the same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

/** Fails with a message naming every taken port and the variable that moves it. */
export async function requireFreePorts(
  ports: Array<{ port: number; variable: string; what: string }>,
) {
  const taken = [];
  for (const entry of ports) if (!(await isPortFree(entry.port))) taken.push(entry);
  if (taken.length) {
    throw new Error(
      taken
        .map(
          (t) =>
            `Port ${t.port} (${t.what}) is already in use. Stop what uses it or set ${t.variable}.`,
        )
        .join('\n'),
    );
  }
}
