import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelSpec } from './models';
import { listItemJson, predictionJson } from './prediction-json';
import { ModelError } from './run-context';
import type { RunContext } from './run-context';
import type { RunFault, Status, WebhookEvent } from './types';
import { TERMINAL } from './types';
import type { UploadStore } from './uploads';
import type { WebhookSender } from './webhooks';

/**
 * Predictions and their state machine: starting -> processing -> succeeded | failed | canceled
 * | aborted, with the timestamps, logs, metrics and webhooks of the real service.
 */

export const DEFAULT_POLICY_MESSAGE =
  'NSFW content detected. Try running it again, or try a different prompt.';
const GENERIC_FAILURE = 'The model crashed while generating output. Try running it again.';

export interface OutputFile {
  path: string;
  mime: string;
}

export interface Prediction {
  seq: number;
  id: string;
  spec: ModelSpec;
  input: Record<string, unknown>;
  parsedInput: unknown;
  status: Status;
  output: unknown;
  error: string | null;
  logs: string;
  dataRemoved: boolean;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  deadline: Date | null;
  webhook: string | null;
  webhookEventsFilter: WebhookEvent[];
  metrics: Record<string, number>;
  jobKey: string;
  cancelRequested: boolean;
  files: Map<string, OutputFile>;
  faults: RunFault[];
  released: boolean;
  releaseHold?: () => void;
  loggedTenths: number;
  controller: AbortController;
  timers: NodeJS.Timeout[];
  listeners: Set<() => void>;
  /** Webhook deliveries of this prediction run in order. */
  webhookChain: Promise<void>;
}

export interface CreateOptions {
  spec: ModelSpec;
  input: Record<string, unknown>;
  parsedInput: unknown;
  webhook: string | null;
  webhookEventsFilter: WebhookEvent[];
  cancelAfterMs: number | undefined;
  faults: RunFault[];
}

export class PredictionStore {
  private readonly byId = new Map<string, Prediction>();
  private readonly running = new Set<Promise<void>>();
  private seq = 0;
  private closing = false;

  constructor(
    private readonly deps: {
      apiBase: string;
      origin: string;
      workDir: string;
      startDelayMs: number;
      webhooks: WebhookSender;
      uploads: UploadStore;
    },
  ) {}

  all(): Prediction[] {
    return [...this.byId.values()];
  }

  get(id: string): Prediction | undefined {
    return this.byId.get(id);
  }

  create(opts: CreateOptions): Prediction {
    const id = newPredictionId();
    const now = new Date();
    const prediction: Prediction = {
      seq: ++this.seq,
      id,
      spec: opts.spec,
      input: opts.input,
      parsedInput: opts.parsedInput,
      status: 'starting',
      output: null,
      error: null,
      logs: '',
      dataRemoved: false,
      createdAt: now,
      startedAt: null,
      completedAt: null,
      deadline:
        opts.cancelAfterMs === undefined ? null : new Date(now.getTime() + opts.cancelAfterMs),
      webhook: opts.webhook,
      webhookEventsFilter: opts.webhookEventsFilter,
      metrics: {},
      jobKey: jobKeyFor(opts.webhook, opts.spec.name, opts.input),
      cancelRequested: false,
      files: new Map(),
      faults: opts.faults,
      released: false,
      loggedTenths: -1,
      controller: new AbortController(),
      timers: [],
      listeners: new Set(),
      webhookChain: Promise.resolve(),
    };
    this.byId.set(id, prediction);
    if (opts.cancelAfterMs !== undefined) {
      prediction.timers.push(setTimeout(() => this.onDeadline(prediction), opts.cancelAfterMs));
    }
    const task = this.run(prediction).catch(() => undefined);
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return prediction;
  }

  cancel(prediction: Prediction): void {
    prediction.cancelRequested = true;
    this.finish(prediction, 'canceled');
  }

  /** Lets held predictions (the hold fault) carry on: one by id, or all of them. */
  release(id?: string): void {
    for (const p of this.byId.values()) {
      if (id !== undefined && p.id !== id) continue;
      p.released = true;
      p.releaseHold?.();
    }
  }

  /** Resolves when the prediction is terminal or after `ms`, whichever comes first. */
  waitForEnd(prediction: Prediction, ms: number, signal?: AbortSignal): Promise<void> {
    if (TERMINAL.has(prediction.status)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        prediction.listeners.delete(check);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const check = () => {
        if (TERMINAL.has(prediction.status)) done();
      };
      const timer = setTimeout(done, ms);
      prediction.listeners.add(check);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.byId.values()) {
      for (const t of p.timers) clearTimeout(t);
      p.controller.abort(new Error('The fake server is closing.'));
      p.releaseHold?.();
    }
    await Promise.allSettled([...this.running]);
  }

  /** The full prediction object, as create, get, cancel and webhooks return it. */
  toJson(p: Prediction): Record<string, unknown> {
    return predictionJson(p, this.deps);
  }

  /** A list item: no input, output, logs or webhook, like the real list endpoint. */
  toListItem(p: Prediction): Record<string, unknown> {
    return listItemJson(p, this.deps);
  }

  private async run(p: Prediction): Promise<void> {
    const signal = p.controller.signal;
    const has = (kind: RunFault['kind']) => p.faults.find((f) => f.kind === kind);
    const slow = has('slow-start');
    const startDelay =
      this.deps.startDelayMs + (slow?.kind === 'slow-start' ? (slow.ms ?? 60_000) : 0);
    try {
      await sleep(startDelay, undefined, { signal });
    } catch {
      return;
    }
    if (TERMINAL.has(p.status) || this.closing) return;
    if (has('abort')) {
      this.finish(p, 'aborted');
      return;
    }
    p.status = 'processing';
    p.startedAt = new Date();
    this.changed(p);
    this.notify(p, 'start');

    const scratchDir = join(this.deps.workDir, p.id);
    const ctx: RunContext = {
      signal,
      progress: (fraction) => this.progress(p, fraction),
      log: (line) => this.log(p, line),
      outputFile: (name, ext, mime) => {
        const file = `${name}.${ext}`;
        const path = join(scratchDir, 'out', file);
        p.files.set(file, { path, mime });
        return { path, url: `${this.deps.origin}/files/${p.id}/${file}` };
      },
      scratchDir,
      localFile: (url) => this.deps.uploads.pathForUrl(url),
      malformedJson: Boolean(has('malformed-json')),
    };
    try {
      await mkdir(join(scratchDir, 'out'), { recursive: true });
      ctx.progress(0);
      if (has('hold') && !p.released) {
        ctx.progress(0.5);
        await new Promise<void>((resolve) => {
          p.releaseHold = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        p.releaseHold = undefined;
        signal.throwIfAborted();
      }
      const failure = has('fail-policy') ?? has('fail');
      if (failure?.kind === 'fail-policy' || failure?.kind === 'fail') {
        const fallback = failure.kind === 'fail' ? 'The model failed.' : DEFAULT_POLICY_MESSAGE;
        throw new ModelError(failure.message ?? fallback);
      }
      const result = await p.spec.run(p.parsedInput, ctx);
      if (TERMINAL.has(p.status) || this.closing) return;
      ctx.progress(1);
      p.output = result.output;
      p.metrics = { ...result.metrics };
      if (has('output-deleted')) {
        p.dataRemoved = true;
        p.files.clear();
      }
      this.finish(p, 'succeeded');
    } catch (error) {
      if (TERMINAL.has(p.status) || this.closing) return;
      const message = error instanceof ModelError ? error.message : GENERIC_FAILURE;
      this.log(p, `Error: ${message}`);
      p.error = message;
      this.finish(p, 'failed');
    }
  }

  private onDeadline(p: Prediction): void {
    if (p.status === 'starting') this.finish(p, 'aborted');
    else if (p.status === 'processing') this.finish(p, 'canceled');
  }

  /** Moves to a terminal status once; later calls are ignored. */
  private finish(p: Prediction, status: Status): void {
    if (TERMINAL.has(p.status) || this.closing) return;
    p.status = status;
    p.completedAt = new Date();
    for (const t of p.timers) clearTimeout(t);
    p.controller.abort(new Error(`Prediction ${status}.`));
    const seconds = (from: Date) => (p.completedAt!.getTime() - from.getTime()) / 1000;
    if (p.startedAt) p.metrics.predict_time = seconds(p.startedAt);
    p.metrics.total_time = seconds(p.createdAt);
    this.changed(p);
    const copies = p.faults.some((f) => f.kind === 'duplicate-webhook') ? 2 : 1;
    this.notify(p, 'completed', copies);
  }

  private progress(p: Prediction, fraction: number): void {
    const tenths = Math.min(10, Math.max(0, Math.floor(fraction * 10)));
    while (p.loggedTenths < tenths) {
      p.loggedTenths += 1;
      const k = p.loggedTenths;
      this.log(p, `${String(k * 10).padStart(3)}%|${'█'.repeat(k)}${' '.repeat(10 - k)}| ${k}/10`);
    }
  }

  private log(p: Prediction, line: string): void {
    if (TERMINAL.has(p.status)) return;
    p.logs += `${line}\n`;
    this.changed(p);
  }

  private changed(p: Prediction): void {
    for (const listener of [...p.listeners]) listener();
  }

  private notify(p: Prediction, event: WebhookEvent, copies = 1): void {
    const url = p.webhook;
    if (!url || !p.webhookEventsFilter.includes(event)) return;
    const body = JSON.stringify(this.toJson(p));
    p.webhookChain = p.webhookChain.then(() => this.deps.webhooks.send(url, body, copies));
  }
}

/** 26 lowercase base32 characters, like Replicate's ids. */
function newPredictionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return [...randomBytes(26)].map((b) => alphabet[b % 32]).join('');
}

/** The `job` query parameter of the webhook URL, else a hash of model and input. */
export function jobKeyFor(webhook: string | null, model: string, input: unknown): string {
  if (webhook) {
    try {
      const job = new URL(webhook).searchParams.get('job');
      if (job) return job;
    } catch {
      // An unparsable webhook falls back to the input hash.
    }
  }
  return `model:${createHash('sha256').update(model).update(JSON.stringify(input)).digest('hex')}`;
}
