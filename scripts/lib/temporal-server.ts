import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { searchAttributeFlags } from '../../core/search-attributes';
import { startProcess, type ManagedProcess } from './processes';

const SQLITE_PRAGMAS = [
  '--sqlite-pragma',
  'journal_mode=wal',
  '--sqlite-pragma',
  'synchronous=NORMAL',
];

/**
 * The Temporal CLI's dev server: one binary with SQLite persistence and the Web UI. Ready when
 * it prints the address of its frontend.
 */
export async function startTemporalDevServer(options: {
  cli: string;
  port: number;
  uiPort: number;
  dbFile?: string | undefined;
  namespace: string;
  quiet?: boolean;
}): Promise<ManagedProcess> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
    ...searchAttributeFlags(),
  ];
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    // A write-ahead log, synced at checkpoints: each workflow task's transaction no longer waits
    // for its own fsyncs, and readers never wait for the writer (issue 19: workflow task latency
    // under load). A crashed process loses nothing; a power cut may lose the last moments.
    args.push('--db-filename', options.dbFile, ...SQLITE_PRAGMAS);
  } else {
    args.push('--headless');
  }
  const server = startProcess('temporal', options.cli, args, {
    env: process.env,
    quiet: options.quiet ?? false,
  });
  await server.waitFor(new RegExp(`Temporal Server:\\s+\\S+:${options.port}\\b`), 60_000);
  return server;
}
