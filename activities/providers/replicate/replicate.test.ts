import { describe, expect, it } from 'vitest';
import {
  REPLICATE_MODELS,
  REPLICATE_TIERS,
  costOfRun,
  estimateCall,
} from '../../../core/replicate-models';
import { sniffMime } from './download';
import { OUTCOME_HEADER, UNANSWERED_STATUS, guardedFetch, retryAfterMs } from './http';
import { countOutputs, inputFingerprint, jobKeyIn, progressOf, webhookFor } from './lifecycle';
import { buildClipNormaliseArgs } from '../../media/clip-format';
import { extractJson } from './planner';
import { predictionFailure } from './failures';

describe('the Replicate model table', () => {
  it('prices official models per output and community models by GPU time', () => {
    const flux = REPLICATE_MODELS['flux-dev'];
    expect(costOfRun(flux, { input: {}, outputCount: 1 })).toBeCloseTo(0.025);
    expect(costOfRun(flux, { input: {}, outputCount: 0 })).toBe(0);
    const seedance = REPLICATE_MODELS['seedance-1-lite'];
    const clipInput = seedance.buildInput({ prompt: 'orbit', durationSeconds: 3 });
    expect(costOfRun(seedance, { input: clipInput, outputCount: 1 })).toBeCloseTo(0.036 * 3);
    const wan = REPLICATE_MODELS['wan-2.2-i2v-fast'];
    const wanInput = wan.buildInput({ prompt: 'orbit' });
    expect(costOfRun(wan, { input: wanInput, outputCount: 1 })).toBeCloseTo((0.012 * 81) / 16);
    const music = REPLICATE_MODELS.musicgen;
    expect(
      costOfRun(music, { input: {}, outputCount: 1, metrics: { predict_time: 50 } }),
    ).toBeCloseTo(50 * 0.0014);
    const llm = REPLICATE_MODELS['llama-3-8b'];
    expect(
      costOfRun(llm, {
        input: {},
        outputCount: 1,
        metrics: { input_token_count: 2_000_000, output_token_count: 1_000_000 },
      }),
    ).toBeCloseTo(0.1 + 0.25);
  });

  it('names a public source and a check date for every price, and every tier has every capability', () => {
    for (const model of Object.values(REPLICATE_MODELS)) {
      // The model's own page on Replicate, which anyone can open to re-check the price.
      expect(model.price.source).toContain(`https://replicate.com/${model.ref.split(':')[0]}`);
      expect(model.price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(estimateCall(model)).toBeGreaterThan(0);
    }
    for (const tier of Object.values(REPLICATE_TIERS)) {
      for (const [capability, key] of Object.entries(tier)) {
        expect(REPLICATE_MODELS[key].capability).toBe(capability);
      }
    }
  });

  it('keeps the seed deterministic: go_fast off for the flux models that have it', () => {
    const input = REPLICATE_MODELS['flux-schnell'].buildInput({ prompt: 'shoe', seed: 7 });
    expect(input).toMatchObject({ seed: 7, go_fast: false });
  });
});

describe('the guarded fetch', () => {
  const recording = (answers: Array<() => Response | Promise<Response>>) => {
    const calls: number[] = [];
    const base = (() => {
      calls.push(Date.now());
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return Promise.resolve(next());
    }) as unknown as typeof fetch;
    return { base, calls };
  };

  it('never re-sends a POST after a network error: it answers "unanswered" at once', async () => {
    const { base, calls } = recording([
      () => {
        throw new TypeError('socket hang up');
      },
    ]);
    const response = await guardedFetch(base, { maxThrottleMs: 1000 })('http://x/v1/predictions', {
      method: 'POST',
      body: '{}',
    });
    expect(calls).toHaveLength(1);
    expect(response.status).toBe(UNANSWERED_STATUS);
    expect(response.headers.get(OUTCOME_HEADER)).toBe('network');
  });

  it('honours Retry-After between throttled attempts', async () => {
    const throttled = () => new Response('{}', { status: 429, headers: { 'retry-after': '0.3' } });
    const { base, calls } = recording([throttled, throttled, () => new Response('{"ok":1}')]);
    const response = await guardedFetch(base, { maxThrottleMs: 5000 })('http://x/v1/predictions');
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(295);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(295);
  });

  it('gives up as "rate-limited" rather than wait longer than allowed', async () => {
    const { base, calls } = recording([
      () => new Response('{}', { status: 429, headers: { 'retry-after': '60' } }),
    ]);
    const response = await guardedFetch(base, { maxThrottleMs: 1000 })('http://x/v1/predictions');
    expect(calls).toHaveLength(1);
    expect(response.headers.get(OUTCOME_HEADER)).toBe('rate-limited');
  });

  it('reads Retry-After as seconds or a date, and backs off without one', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 0, 4000)).toBe(6000);
    expect(retryAfterMs(null, 0)).toBe(1000);
    expect(retryAfterMs(null, 10)).toBe(30_000);
  });
});

describe('the prediction lifecycle helpers', () => {
  it('carries the job key in the webhook URL and reads it back', () => {
    const url = webhookFor('https://studio.example/api/webhooks/replicate', 's-1:a-2:image:1');
    expect(jobKeyIn(url)).toBe('s-1:a-2:image:1');
    expect(jobKeyIn('not a url')).toBeUndefined();
  });

  it('fingerprints the plain input, ignoring files Replicate may store elsewhere', () => {
    const a = inputFingerprint('o/m', { prompt: 'p', seed: 1, image: 'data:image/png;base64,AAA' });
    const b = inputFingerprint('o/m', { seed: 1, prompt: 'p', image: 'https://r8.example/f.png' });
    expect(a).toBe(b);
    expect(inputFingerprint('o/m', { prompt: 'p', seed: 2 })).not.toBe(a);
  });

  it('reads progress from tqdm logs and counts outputs', () => {
    expect(progressOf({ status: 'processing', logs: ' 10%|█ | 1/10\n 40%|████ | 4/10' })).toBe(0.4);
    expect(progressOf({ status: 'starting', logs: '' })).toBe(0.02);
    expect(progressOf({ status: 'succeeded', logs: '' })).toBe(1);
    expect(countOutputs(['a', 'b'])).toBe(2);
    expect(countOutputs('a')).toBe(1);
    expect(countOutputs(null)).toBe(0);
  });

  it('classifies a safety refusal as content policy and a crash as retryable', () => {
    const policy = predictionFailure('black-forest-labs/flux-dev', 'NSFW content detected.');
    expect(policy).toMatchObject({ type: 'CONTENT_POLICY', nonRetryable: true });
    expect(policy.message).toBe(
      'black-forest-labs/flux-dev refused the prompt: NSFW content detected.',
    );
    const crash = predictionFailure('meta/musicgen', 'CUDA out of memory at https://x/y');
    expect(crash).toMatchObject({ type: 'PROVIDER_REJECTED', nonRetryable: false });
    expect(crash.message).not.toMatch(/https?:/);
  });
});

describe('outputs', () => {
  it('judges files by their first bytes', () => {
    expect(sniffMime(Buffer.from('89504e470d0a1a0a', 'hex'))).toBe('image/png');
    expect(sniffMime(Buffer.from('ffd8ffe0', 'hex'))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from('\0\0\0\x20ftypisom', 'latin1'))).toBe('video/mp4');
    expect(sniffMime(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBe('audio/wav');
    expect(sniffMime(Buffer.from('ID3\x04', 'latin1'))).toBe('audio/mpeg');
    expect(sniffMime(Buffer.from('<html>', 'latin1'))).toBeUndefined();
  });

  it('normalises clips to the session format with numbers only in the filter', () => {
    const args = buildClipNormaliseArgs('in.mp4', 'out.mp4', {
      width: 1080,
      height: 1920,
      fps: 30,
      maxSeconds: 3,
    });
    expect(args).toContain(
      'scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,fps=30,setsar=1,format=yuv420p',
    );
    expect(args.slice(args.indexOf('-t'), args.indexOf('-t') + 2)).toEqual(['-t', '3.000']);
  });

  it('repairs planner replies wrapped in prose or code fences', () => {
    expect(extractJson('Sure! ```json\n{"scenes":[]}\n``` Enjoy')).toEqual({ scenes: [] });
    expect(extractJson('no json here')).toBeUndefined();
    expect(extractJson('{"broken": ')).toBeUndefined();
  });
});
