import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { freePort } from '../../scripts/lib/ports';
import { startProcess, type ManagedProcess } from '../../scripts/lib/processes';
import { createEmptyDatabase } from './database';
import { requiredInCi } from './required';

/**
 * The production topology (docker-compose.yml) without containers: an external PostgreSQL (the
 * run's), migrated by the migrate command; an S3 server (moto) with the bucket; accounts made with
 * `npm run user`; workers and API instances as their own processes, configured by environment as
 * the compose file configures them, on task queues of their own.
 */
const root = resolve(import.meta.dirname, '..', '..');

export const motoPath = requiredInCi(
  'The S3 test server (moto_server)',
  process.env.S3_TEST_SERVER_PATH ??
    [join(root, '.tools', 'venv', 'bin', 'moto_server')].find((p) => existsSync(p)),
);

const credentials = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' };

/** Runs a command to its end; rejects with its output when it fails. */
function runToEnd(args: string[], env: NodeJS.ProcessEnv, stdin?: string) {
  return new Promise<string>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(stdin ?? '');
    child.on('exit', (code) =>
      code === 0 ? done(output) : fail(new Error(`${args.join(' ')} failed:\n${output}`)),
    );
  });
}

export async function startTopology(options: { workers: number; apis: number }) {
  const stops: Array<() => Promise<void>> = [];
  const database = await createEmptyDatabase();
  stops.push(database.drop);
  try {
    const s3Port = await freePort();
    const moto = startProcess('moto', motoPath!, ['-H', '127.0.0.1', '-p', String(s3Port)], {
      env: process.env,
      quiet: true,
    });
    stops.push(() => moto.stop());
    await moto.waitFor(/Running on/, 60_000);
    const endpoint = `http://127.0.0.1:${s3Port}`;
    const admin = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials,
    });
    await admin.send(new CreateBucketCommand({ Bucket: 'studio' }));
    admin.destroy();

    const queue = `topology-${randomUUID()}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: queue,
      TEMPORAL_RENDER_TASK_QUEUE: `${queue}-render`,
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'studio',
      S3_ENDPOINT: endpoint,
      // The same server under another name, as browsers would reach a published MinIO.
      S3_PUBLIC_ENDPOINT: `http://localhost:${s3Port}`,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    };
    await runToEnd(['scripts/migrate.ts'], env);
    const email = 'ops@example.com';
    const password = 'topology password';
    await runToEnd(['scripts/user.ts', 'add', email], env, `${password}\n`);

    const workDir = await mkdtemp(join(inject('testWorkDir'), 'topology-'));
    const workers: ManagedProcess[] = [];
    for (let i = 0; i < options.workers; i++) {
      const worker = startProcess(
        `worker${i + 1}`,
        process.execPath,
        ['--import', 'tsx', 'test/support/worker-process.ts'],
        {
          env: { ...env, WORK_DIR: join(workDir, `work-${i}`) },
          cwd: root,
          quiet: !process.env.TOPOLOGY_VERBOSE,
        },
      );
      stops.push(() => worker.stop());
      workers.push(worker);
    }
    const apis: Array<{ process: ManagedProcess; url: string }> = [];
    for (let i = 0; i < options.apis; i++) {
      const port = await freePort();
      const api = startProcess(
        `api${i + 1}`,
        process.execPath,
        ['--import', 'tsx', 'api/main.ts'],
        {
          env: { ...env, API_PORT: String(port), LOG_LEVEL: 'info' },
          cwd: root,
          quiet: !process.env.TOPOLOGY_VERBOSE,
        },
      );
      stops.push(() => api.stop());
      apis.push({ process: api, url: `http://127.0.0.1:${port}` });
    }
    await Promise.all([
      ...workers.map((w) => w.waitFor(/^ready$/, 120_000)),
      ...apis.map((a) => a.process.waitFor(/listening on/, 60_000)),
    ]);
    return {
      workers,
      apis,
      user: { email, password },
      publicEndpoint: env.S3_PUBLIC_ENDPOINT!,
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}
