import { describe, expect, it } from 'vitest';
import { initialState } from '../workflows/state';
import {
  currentDetails,
  modelWords,
  runDetails,
  runSummary,
  syncSummary,
  waitSummary,
  workSummary,
} from './operator-view';
import type { SessionState } from './session';

function session(overrides: Partial<SessionState> = {}): SessionState {
  const state = initialState(
    {
      sessionId: 'session-1',
      userId: 'user-1',
      title: 'Shoes',
      productPrompt: 'pink tennis shoes',
      options: {
        imageCount: 6,
        aspectRatio: '9:16',
        budgetUsd: 5,
        tier: 'draft',
        provider: 'replicate',
        durationSeconds: 15,
      },
      renderTaskQueue: 'render',
    },
    '2026-12-05T00:00:00.000Z',
  );
  return { ...state, ...overrides };
}

describe('a session as operators read it in Temporal UI', () => {
  it('sums a run up in one plain line: product, format, length and provider', () => {
    expect(runSummary(session())).toBe('pink tennis shoes — 9:16, 15 s, replicate ad');
    const long = session({ productPrompt: `${'very '.repeat(20)}long\nprompt` });
    expect(runSummary(long)).not.toContain('\n');
    expect(runSummary(long).split(' — ')[0]).toHaveLength(60);
  });

  it('shows user text in the details as typed, never as a link, image or heading', () => {
    const details = runDetails(
      session({ productPrompt: '# Sale [click](https://x.test) ![i](y)' }),
    );
    expect(details).toContain(
      '**Product:** \\# Sale \\[click\\]\\(https://x.test\\) \\!\\[i\\]\\(y\\)',
    );
    expect(details).toContain('**User id:** `user-1`');
    expect(details).toContain('**Budget:** 5.00 USD');
  });

  it('keeps the current details to stage, progress, cost and the last error', () => {
    const state = session({
      stage: 'failed',
      progress: { done: 2, total: 6, fraction: 1 / 3 },
      costs: { totalUsd: 0.0123, byStage: {} },
      lastError: {
        stage: 'generating_images',
        code: 'PROVIDER_UNAVAILABLE',
        message: 'The step would cost about $0.40, past the $5.00 budget.',
        provider: 'replicate',
        model: 'flux-schnell',
        retryable: true,
        at: '2026-12-05T00:00:00.000Z',
      },
    });
    expect(currentDetails(state).split('\n')).toEqual([
      '**Stage:** failed (2 of 6 done)',
      '**Cost so far:** 0.01 of 5.00 USD',
      '**Assets:** 0 images, 0 clips',
      '**Last error:** PROVIDER_UNAVAILABLE in generating images (replicate flux-schnell): ' +
        'The step would cost about \\$0.40, past the \\$5.00 budget.',
    ]);
  });

  it('names each wait for a person after what it waits for, with its length', () => {
    expect(waitSummary('awaiting_image_approval', 30 * 86_400_000)).toBe(
      'waiting for image approval, 30 d',
    );
    expect(waitSummary('awaiting_composition', 10 * 60_000)).toBe(
      'waiting for the composition, 10 min',
    );
    expect(waitSummary('failed', 36 * 3_600_000)).toBe('waiting for a retry, 1.5 d');
  });

  it('names the stage and version a row write saves', () => {
    expect(syncSummary({ ...session(), stage: 'generating_clips', version: 12 })).toBe(
      'save the session row: generating clips, version 12',
    );
  });

  it('names the asset, its place in the batch and the model in a work summary', () => {
    expect(
      workSummary('image', { index: 1, of: 6 }, 'side view', modelWords(session(), 'image')),
    ).toBe('generate image 2 of 6 (side view), flux-schnell');
    const local = session({ options: { ...session().options, provider: 'local' } });
    expect(modelWords(local, 'clip')).toBe('local studio');
  });
});
