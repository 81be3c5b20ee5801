import type { FaultBook } from './faults';
import type { PredictionStore } from './predictions';
import type { FakeStats } from './types';
import type { UploadStore } from './uploads';

/** Everything the route handlers share. */
export interface RouteDeps {
  token: string;
  webhookSecret: string;
  apiBase: string;
  store: PredictionStore;
  uploads: UploadStore;
  faults: FaultBook;
  requests: FakeStats['requests'];
  stats(): FakeStats;
}
