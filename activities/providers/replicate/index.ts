import type { Db } from '../../../db/client';
import { createLocalPlanner } from '../local/planner';
import type { Providers } from '../types';
import { createClient } from './http';
import { createLifecycle, type LifecycleSettings } from './lifecycle';
import { createReplicateMedia, type ModelOverrides } from './media';
import { createReplicatePlanner } from './planner';
import { createPredictionStore } from './store';

export interface ReplicateSettings extends Omit<LifecycleSettings, 'webhookFallbackMs'> {
  token: string;
  /** https://api.replicate.com/v1, or the local Replicate server's. */
  baseUrl: string;
  /** The longest one request waits out 429s (honouring Retry-After) before giving up. */
  maxThrottleMs: number;
  overrides?: ModelOverrides | undefined;
}

/**
 * Real models on Replicate, behind the same interfaces as the local studio. The planner falls
 * back to the rule-based one when the model's JSON is unusable twice.
 */
export function createReplicateProviders(
  settings: ReplicateSettings,
  db: Db,
  hooks: { onThrottled?: () => void } = {},
): Providers {
  const client = createClient(settings, {
    maxThrottleMs: settings.maxThrottleMs,
    onThrottled: hooks.onThrottled,
  });
  const lifecycle = createLifecycle(client, createPredictionStore(db), {
    ...settings,
    webhookFallbackMs: 30_000,
  });
  const media = createReplicateMedia(lifecycle, settings.overrides);
  return {
    name: 'replicate',
    planner: createReplicatePlanner(lifecycle, createLocalPlanner()),
    ...media,
  };
}
