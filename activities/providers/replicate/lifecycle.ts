import { createHash } from 'node:crypto';
import type Replicate from 'replicate';
import { ApplicationFailure } from '@temporalio/common';
import { costOfRun, type ReplicateModel } from '../../../core/replicate-models';
import type { CallContext } from '../types';
import { httpFailure, isAmbiguous, predictionFailure } from './failures';
import { sleep } from './http';
import { jobKeyOf, type PredictionRow, type PredictionStore } from './store';

/**
 * One prediction from intent to a finished result, paid for once:
 * 1. the intent is recorded (`creating`) before the create request is sent;
 * 2. the create is sent once; an unanswered create marks the row `unknown`;
 * 3. a later attempt that finds `creating` or `unknown` reconciles first: it lists predictions
 *    created since, matches the job key in the webhook URL (or the input's fingerprint) and resumes
 *    that one; it creates again only when none exists;
 * 4. waiting polls with backoff (or reads webhook updates from the table), heartbeating progress;
 * 5. cancelling the activity cancels the prediction; `aborted` and `canceled` are retried anew.
 */

export interface ReplicatePrediction {
  id: string;
  model: string;
  status: string;
  input?: Record<string, unknown> | undefined;
  output?: unknown;
  error?: unknown;
  logs?: string | undefined;
  webhook?: string | undefined;
  data_removed?: boolean | undefined;
  metrics?: { predict_time?: number; input_token_count?: number; output_token_count?: number };
}

export interface LifecycleSettings {
  /** Public URL of POST /api/webhooks/replicate; the job key rides in its query. */
  webhookUrl?: string | undefined;
  pollMinMs: number;
  pollMaxMs: number;
  /** With webhooks, Replicate itself is still asked this often, in case a delivery is lost. */
  webhookFallbackMs: number;
}

export interface PredictionJob {
  sessionId: string;
  assetId: string;
  /** image, clip, music, cutout, plan-shots... one asset may need several. */
  purpose: string;
  model: ReplicateModel;
  input: Record<string, unknown>;
}

export interface FinishedPrediction {
  prediction: ReplicatePrediction;
  jobKey: string;
  /** What every prediction made for this asset cost so far (lost or failed attempts too). */
  assetCostUsd: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'aborted']);
/** Look this far before a recorded intent for the prediction it may have made (clock skew). */
const RECONCILE_MARGIN_MS = 2 * 60_000;

export function createLifecycle(
  client: Replicate,
  store: PredictionStore,
  settings: LifecycleSettings,
) {
  const modelName = (model: ReplicateModel) => model.ref.split(':')[0]!;

  async function create(job: PredictionJob, row: PredictionRow, signal?: AbortSignal) {
    const [name, version] = job.model.ref.split(':') as [string, string | undefined];
    const route = version ? '/predictions' : `/models/${name}/predictions`;
    const data: Record<string, unknown> = { input: job.input };
    if (version) data.version = version;
    if (settings.webhookUrl) {
      data.webhook = webhookFor(settings.webhookUrl, row.jobKey);
      data.webhook_events_filter = ['start', 'completed'];
    }
    try {
      const response = await client.request(route, {
        method: 'POST',
        headers: { 'Cancel-After': job.model.cancelAfter },
        data,
        signal,
      });
      const prediction = (await response.json()) as ReplicatePrediction;
      await store.attach(row.jobKey, prediction.id, asStatus(prediction.status));
      return prediction;
    } catch (error) {
      if (signal?.aborted) throw error;
      if (isAmbiguous(error)) {
        await store.update(row.jobKey, { status: 'unknown' });
        throw ApplicationFailure.retryable(
          'Replicate did not confirm the request; the studio will look for it before asking again.',
          'PROVIDER_UNAVAILABLE',
        );
      }
      const failure = httpFailure(error, 'the request', name);
      if (failure instanceof ApplicationFailure && failure.nonRetryable) {
        await store.update(row.jobKey, {
          status: 'failed',
          error: failure.message,
          completed: true,
        });
      }
      throw failure;
    }
  }

  /** Finds the prediction a recorded intent may have created; undefined when there is none. */
  async function reconcile(job: PredictionJob, row: PredictionRow, signal?: AbortSignal) {
    const since = new Date(row.createdAt.getTime() - RECONCILE_MARGIN_MS).toISOString();
    const fingerprint = inputFingerprint(job.model.ref, job.input);
    let route: string | URL = '/predictions';
    let params: Record<string, string> | undefined = { created_after: since };
    try {
      for (let page = 0; page < 20; page++) {
        const response = await client.request(route, { method: 'GET', params, signal });
        const body = (await response.json()) as {
          results: ReplicatePrediction[];
          next?: string | null;
        };
        for (const item of body.results) {
          if (item.model !== modelName(job.model)) continue;
          // List items may omit the webhook and input: look at the whole prediction.
          const full =
            item.webhook !== undefined && item.input !== undefined
              ? item
              : await get(item.id, signal);
          // The job key decides when the prediction carries one; the input's fingerprint only
          // without webhooks, and never for a prediction another job already owns.
          const key = full.webhook ? jobKeyIn(full.webhook) : undefined;
          const ours =
            key !== undefined
              ? key === row.jobKey
              : full.input !== undefined &&
                inputFingerprint(job.model.ref, full.input) === fingerprint &&
                !(await store.isAttached(full.id));
          if (ours) {
            await store.attach(row.jobKey, full.id, asStatus(full.status));
            return full;
          }
        }
        if (!body.next) return undefined;
        route = new URL(body.next);
        params = undefined;
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw httpFailure(error, 'the search for an earlier request', job.model.ref);
    }
    return undefined;
  }

  async function get(id: string, signal?: AbortSignal): Promise<ReplicatePrediction> {
    const response = await client.request(`/predictions/${encodeURIComponent(id)}`, {
      method: 'GET',
      signal,
    });
    return (await response.json()) as ReplicatePrediction;
  }

  async function cancel(row: PredictionRow | { jobKey: string }, id: string) {
    try {
      await client.request(`/predictions/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
      await store.update(row.jobKey, { status: 'canceled', completed: true });
    } catch {
      // Best effort: Cancel-After stops it on Replicate's side anyway.
    }
  }

  /** Polls until the prediction ends, heartbeating its progress; cancels it when aborted. */
  async function wait(
    job: PredictionJob,
    jobKey: string,
    first: ReplicatePrediction,
    ctx: CallContext,
  ): Promise<ReplicatePrediction> {
    let prediction = first;
    let interval = settings.pollMinMs;
    let lastAsked = Date.now();
    let progress = progressOf(prediction);
    while (!TERMINAL.has(prediction.status)) {
      // Every round heartbeats, also while webhooks (not polls) bring the news.
      ctx.onProgress?.(progress);
      try {
        await sleep(interval, ctx.signal);
        interval = Math.min(settings.pollMaxMs, Math.round(interval * 1.5));
        if (settings.webhookUrl && Date.now() - lastAsked < settings.webhookFallbackMs) {
          // Webhooks update the table; Replicate is asked only when it says something changed.
          const status = await store.status(jobKey);
          if (status === prediction.status || status === null) continue;
        }
        prediction = await get(prediction.id, ctx.signal);
        lastAsked = Date.now();
      } catch (error) {
        if (ctx.signal?.aborted) {
          await cancel({ jobKey }, prediction.id);
          throw ctx.signal.reason as Error;
        }
        throw httpFailure(error, 'the progress check', job.model.ref);
      }
      progress = progressOf(prediction);
      ctx.onProgress?.(progress);
      if (!TERMINAL.has(prediction.status)) {
        await store.update(jobKey, { status: asStatus(prediction.status), progress });
      }
    }
    return prediction;
  }

  /** Settles a finished prediction: records its status and cost; throws unless it succeeded. */
  async function settle(job: PredictionJob, jobKey: string, prediction: ReplicatePrediction) {
    const outputCount = countOutputs(prediction.output);
    const costUsd = costOfRun(job.model, {
      input: job.input,
      outputCount: prediction.status === 'succeeded' ? outputCount : 0,
      metrics: prediction.metrics,
    });
    const base = {
      predictTime: prediction.metrics?.predict_time,
      costUsd,
      completed: true,
    };
    const name = modelName(job.model);
    switch (prediction.status) {
      case 'succeeded':
        if (prediction.data_removed || outputCount === 0) {
          await store.update(jobKey, { ...base, status: 'output_lost' });
          throw outputLost(name);
        }
        await store.update(jobKey, { ...base, status: 'succeeded', progress: 1 });
        return;
      case 'failed': {
        const failure = predictionFailure(name, prediction.error);
        await store.update(jobKey, { ...base, status: 'failed', error: failure.message });
        throw failure;
      }
      case 'aborted':
        await store.update(jobKey, { ...base, status: 'aborted' });
        throw ApplicationFailure.retryable(
          `${name} did not start before its deadline; it will be asked again.`,
          'PROVIDER_UNAVAILABLE',
        );
      default:
        await store.update(jobKey, { ...base, status: 'canceled' });
        throw ApplicationFailure.retryable(
          `${name} stopped before it finished; it will be asked again.`,
          'PROVIDER_UNAVAILABLE',
        );
    }
  }

  return {
    /**
     * Runs one prediction for a job: resumes the job's live attempt, or starts the next one.
     * Returns the succeeded prediction with what it cost.
     */
    async run(job: PredictionJob, ctx: CallContext = {}): Promise<FinishedPrediction> {
      const fingerprint = inputFingerprint(job.model.ref, job.input);
      let row = await store.latest(job);
      if (row?.predictionId && isLive(row) && row.inputHash !== fingerprint) {
        // The asset is being made from another input (a changed prompt): stop the old one.
        await cancel(row, row.predictionId);
        row = { ...row, status: 'canceled' };
      }
      let prediction: ReplicatePrediction | undefined;
      if (row && (isLive(row) || row.status === 'succeeded')) {
        prediction = row.predictionId
          ? await get(row.predictionId, ctx.signal).catch((error: unknown) => {
              throw httpFailure(error, 'the progress check', job.model.ref);
            })
          : await reconcile(job, row, ctx.signal);
      } else {
        row = await begin(job, (row?.attempt ?? 0) + 1, fingerprint);
      }
      prediction ??= await create(job, row, ctx.signal);
      ctx.onJobCreated?.(prediction.id);
      const finished = await wait(job, row.jobKey, prediction, ctx);
      try {
        await settle(job, row.jobKey, finished);
      } catch (error) {
        throw withAssetCost(error, await store.assetCost(job.sessionId, job.assetId));
      }
      const assetCostUsd = await store.assetCost(job.sessionId, job.assetId);
      return { prediction: finished, jobKey: row.jobKey, assetCostUsd };
    },
    /** Marks a succeeded prediction whose files could no longer be fetched. */
    async markOutputLost(jobKey: string) {
      await store.update(jobKey, { status: 'output_lost' });
      return outputLost('the model');
    },
  };

  async function begin(job: PredictionJob, attempt: number, fingerprint: string) {
    const jobKey = jobKeyOf(job, attempt);
    const row = await store.begin({
      jobKey,
      sessionId: job.sessionId,
      assetId: job.assetId,
      purpose: job.purpose,
      attempt,
      model: job.model.ref,
      inputHash: fingerprint,
    });
    if (!row) {
      throw ApplicationFailure.retryable(
        'Another attempt is making this asset right now; this one will look again.',
        'PROVIDER_UNAVAILABLE',
      );
    }
    return row;
  }
}

/** The failure, telling the workflow what its asset's predictions cost (failed runs can bill). */
function withAssetCost(error: unknown, assetCostUsd: number) {
  if (!(error instanceof ApplicationFailure)) return error;
  return ApplicationFailure.create({
    type: error.type ?? undefined,
    message: error.message,
    nonRetryable: error.nonRetryable ?? undefined,
    details: [{ assetCostUsd }],
  });
}

const isLive = (row: PredictionRow) =>
  ['creating', 'unknown', 'starting', 'processing'].includes(row.status);

function outputLost(model: string) {
  return ApplicationFailure.retryable(
    `Replicate deleted what ${model} made before the studio saved it; it will be made again.`,
    'PROVIDER_UNAVAILABLE',
  );
}

function asStatus(status: string) {
  return (TERMINAL.has(status) || status === 'processing' ? status : 'starting') as
    'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';
}

export function webhookFor(base: string, jobKey: string) {
  const url = new URL(base);
  url.searchParams.set('job', jobKey);
  return url.toString();
}

export function jobKeyIn(webhook: string): string | undefined {
  try {
    return new URL(webhook).searchParams.get('job') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * A fingerprint of what was asked: the model and the input's plain values. Files (data: URIs and
 * URLs) are left out, because Replicate may store an uploaded file under another URL.
 */
export function inputFingerprint(ref: string, input: Record<string, unknown>): string {
  const plain = Object.keys(input)
    .sort()
    .filter((key) => {
      const value = input[key];
      return !(typeof value === 'string' && /^(data:|https?:)/.test(value)) && value !== undefined;
    })
    .map((key) => [key, input[key]]);
  return createHash('sha256')
    .update(JSON.stringify([ref.split(':')[0], plain]))
    .digest('hex');
}

/** 0..1 from the last percentage in the logs (tqdm style), or from the status. */
export function progressOf(prediction: Pick<ReplicatePrediction, 'status' | 'logs'>): number {
  if (prediction.status === 'succeeded') return 1;
  const matches = [...(prediction.logs ?? '').matchAll(/(\d{1,3})%\|/g)];
  const last = matches.at(-1)?.[1];
  if (last !== undefined) return Math.min(0.99, Number(last) / 100);
  return prediction.status === 'processing' ? 0.1 : 0.02;
}

export function countOutputs(output: unknown): number {
  if (output === null || output === undefined) return 0;
  if (Array.isArray(output)) return output.filter((o) => o !== null && o !== undefined).length;
  return 1;
}
