import type { Logger } from '../core/log';
import type { Db } from '../db/client';
import type { Storage } from '../storage';
import type { Providers } from './providers/types';

/** What activities need from the outside world; tests pass real or fake parts. */
export interface ActivityDeps {
  db: Db;
  storage: Storage;
  providers: Providers;
  /** Scratch folder for media being made. */
  workDir: string;
  log: Logger;
  /** Publishes a session event to socket.io rooms (through the postgres emitter). */
  publish: (sessionId: string, event: string, payload: unknown) => void;
}
