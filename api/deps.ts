import type { Client } from '@temporalio/client';
import type { Logger } from '../core/log';
import type { Db } from '../db/client';
import type { Storage } from '../storage';
import type { ApiConfig } from './config';
import type { Revocations } from './revocations';

/** Everything the routes need, passed in so tests can build an app on real or fake parts. */
export interface ApiDeps {
  config: ApiConfig;
  db: Db;
  storage: Storage;
  /** Connects on first use, so the API can start before Temporal is reachable. */
  temporal: () => Promise<Client>;
  log: Logger;
  /** Where ended sign-ins are told (the socket.io server listens); absent in tests without it. */
  revocations?: Revocations;
}

export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

export interface AppEnv {
  Variables: {
    user: AuthUser;
    /** The token family of this sign-in (see tokens.ts). */
    signInId: string;
  };
}
