import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultBook } from './faults';
import { PredictionStore } from './predictions';
import { createHandler } from './routes';
import { UploadStore } from './uploads';
import type { FakeStats, FaultRule } from './types';
import { WebhookSender, generateWebhookSecret } from './webhooks';

/**
 * A local server that speaks Replicate's HTTP predictions API, so the studio's replicate
 * provider runs offline: same routes, status transitions and JSON shapes, with real outputs
 * made by the local studio, plus injectable faults for tests.
 */

export interface FakeReplicateOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  token?: string;
  /** `whsec_<base64>`; generated when absent. */
  webhookSecret?: string;
  /** Where outputs are written; a temp folder (removed on close) when absent. */
  workDir?: string;
  /** How long a prediction stays `starting` (default 50 ms). */
  startDelayMs?: number;
}

export interface FakeReplicate {
  /** `http://127.0.0.1:PORT/v1`: pass it as the client's `baseUrl`. */
  baseUrl: string;
  origin: string;
  token: string;
  webhookSecret: string;
  faults: { add(rule: FaultRule): void; clear(): void };
  release(predictionId?: string): void;
  stats(): FakeStats;
  close(): Promise<void>;
}

export async function startFakeReplicate(opts: FakeReplicateOptions = {}): Promise<FakeReplicate> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? `r8_fake${randomBytes(16).toString('hex')}`;
  const webhookSecret = opts.webhookSecret ?? generateWebhookSecret();

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${opts.port} is already in use; choose another with --port.`)
          : error,
      ),
    );
    server.listen(opts.port ?? 0, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  // Only once listening, so a taken port leaves no temp folder behind.
  const ownWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ?? (await mkdtemp(join(tmpdir(), 'replicate-fake-')));
  await mkdir(workDir, { recursive: true });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const baseUrl = `${origin}/v1`;

  const faults = new FaultBook();
  const webhooks = new WebhookSender(webhookSecret);
  const uploads = new UploadStore(join(workDir, 'uploads'), baseUrl);
  const store = new PredictionStore({
    apiBase: baseUrl,
    origin,
    workDir,
    startDelayMs: opts.startDelayMs ?? 50,
    webhooks,
    uploads,
  });
  const requests: FakeStats['requests'] = [];
  const stats = (): FakeStats => {
    const countsByJobKey: Record<string, number> = {};
    const predictions = store.all().map((p) => {
      countsByJobKey[p.jobKey] = (countsByJobKey[p.jobKey] ?? 0) + 1;
      return {
        id: p.id,
        model: p.spec.name,
        version: p.spec.version,
        status: p.status,
        jobKey: p.jobKey,
        input: p.input,
        webhook: p.webhook,
        createdAt: p.createdAt.toISOString(),
        cancelRequested: p.cancelRequested,
      };
    });
    return {
      predictions,
      countsByJobKey,
      requests: [...requests],
      webhooksDelivered: webhooks.delivered,
    };
  };
  const handler = createHandler({
    token,
    webhookSecret,
    apiBase: baseUrl,
    store,
    uploads,
    faults,
    requests,
    stats,
  });
  server.on('request', (req, res) => void handler(req, res));

  let closed: Promise<void> | undefined;
  return {
    baseUrl,
    origin,
    token,
    webhookSecret,
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    release: (id) => store.release(id),
    stats,
    close() {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([stopped, store.close(), webhooks.close()]);
        if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
