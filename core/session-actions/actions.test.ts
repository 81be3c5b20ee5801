import { describe, expect, it } from 'vitest';
import * as actions from '../actions';
import type { AssetView, SessionState } from '../session';
import type { Stage } from '../stages';
import { initialState } from '../../workflows/state';
import { SESSION_ACTIONS, validateAction, type ActionTools } from '.';

/**
 * The edge rules exist once (core/actions.ts): the API's schema and the action's validator
 * accept and refuse exactly the same arguments. Issue 9 found them drifting (budget 1,000 in the
 * API and 10,000 in the workflow; retry prompts 500 and 1,000).
 */

const ready = (id: string, type: AssetView['type']): AssetView => ({
  id,
  type,
  status: 'ready',
  costUsd: 0,
});

function stateAt(stage: Stage): SessionState {
  const state = initialState(
    {
      sessionId: 'session-test',
      userId: '00000000-0000-4000-8000-000000000000',
      title: 'Shoes',
      productPrompt: 'pink tennis shoes',
      options: {
        imageCount: 4,
        aspectRatio: '16:9',
        budgetUsd: 5,
        tier: 'standard',
        provider: 'local',
      },
      renderTaskQueue: 'render',
    },
    '2026-11-22T00:00:00.000Z',
  );
  state.stage = stage;
  state.images = ['i1', 'i2', 'i3'].map((id) => ready(id, 'image'));
  state.clips = ['c1', 'c2'].map((id) => ready(id, 'clip'));
  return state;
}

/** Whether the workflow's validator lets the arguments through (any refusal counts). */
function workflowAccepts(check: () => void) {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

const { LIMITS } = actions;
const NUL = '\u0000';
const long = (n: number) => 'x'.repeat(n);

describe('one rule per human action, in the API and the workflow alike', () => {
  const compose = {
    productName: 'Aero',
    callToAction: 'Shop now',
    colors: { primary: '#000000', accent: '#ff0000', text: '#ffffff' },
    music: { enabled: true, genre: 'upbeat' },
  };
  const cases = {
    approveImages: {
      schema: actions.approveImages,
      check: (args: unknown) =>
        validateAction(
          SESSION_ACTIONS.approveImages,
          stateAt('awaiting_image_approval'),
          args as never,
        ),
      inputs: [
        { imageIds: ['i1', 'i2'], videoPrompt: 'slow zoom' },
        { imageIds: ['i1', 'i2'], videoPrompt: long(LIMITS.prompt) },
        { imageIds: ['i1', 'i2'], videoPrompt: long(LIMITS.prompt + 1) },
        { imageIds: ['i1', 'i2'], videoPrompt: `line one\nline two` },
        { imageIds: ['i1', 'i2'], videoPrompt: `zoom${NUL}` },
        { imageIds: ['i1'], videoPrompt: 'slow zoom' },
        { imageIds: ['i1', 'i1'], videoPrompt: 'slow zoom' },
        { imageIds: ['i1', `i2${NUL}`], videoPrompt: 'slow zoom' },
      ],
    },
    approveClips: {
      schema: actions.approveClips,
      check: (args: unknown) =>
        validateAction(
          SESSION_ACTIONS.approveClips,
          stateAt('awaiting_clip_approval'),
          args as never,
        ),
      inputs: [{ clipIds: ['c1'] }, { clipIds: [] }, { clipIds: ['c1', 'c1'] }, { clipIds: 'c1' }],
    },
    compose: {
      schema: actions.compose,
      check: (args: unknown) =>
        validateAction(SESSION_ACTIONS.compose, stateAt('awaiting_composition'), args as never),
      inputs: [
        compose,
        { ...compose, tagline: '' },
        { ...compose, productName: long(LIMITS.productName) },
        { ...compose, productName: long(LIMITS.productName + 1) },
        { ...compose, callToAction: long(LIMITS.callToAction + 1) },
        { ...compose, tagline: long(LIMITS.tagline + 1) },
        { ...compose, productName: `Aero\nMax` },
        { ...compose, callToAction: `Buy${NUL}` },
        { ...compose, colors: { ...compose.colors, text: 'white' } },
        { ...compose, music: { enabled: true, genre: 'polka' } },
      ],
    },
    regenerateImage: {
      schema: actions.regenerateImage,
      check: (args: unknown) =>
        validateAction(
          SESSION_ACTIONS.regenerateImage,
          stateAt('awaiting_image_approval'),
          args as never,
        ),
      inputs: [
        { imageId: 'i1' },
        { imageId: 'i1', prompt: 'warmer light' },
        { imageId: 'i1', prompt: long(LIMITS.prompt + 1) },
        { imageId: 'i1', prompt: `warm${NUL}` },
        { imageId: '../i1' },
      ],
    },
    retry: {
      schema: actions.retry,
      check: (args: unknown) =>
        validateAction(SESSION_ACTIONS.retry, stateAt('failed'), args as never),
      inputs: [
        {},
        { budgetUsd: LIMITS.budgetUsd.max },
        { budgetUsd: LIMITS.budgetUsd.max + 1 },
        { budgetUsd: 0 },
        { productPrompt: long(LIMITS.productPrompt.max) },
        { productPrompt: long(LIMITS.productPrompt.max + 1) },
        { videoPrompt: long(LIMITS.prompt) },
        { videoPrompt: long(LIMITS.prompt + 1) },
        { videoPrompt: `zoom${NUL}` },
      ],
    },
  };

  for (const [name, { schema, check, inputs }] of Object.entries(cases)) {
    it(`${name}: the schema and the validator agree on every input`, () => {
      for (const input of inputs) {
        const api = schema.safeParse(input).success;
        expect(
          workflowAccepts(() => check(input)),
          JSON.stringify(input).slice(0, 80),
        ).toBe(api);
      }
      // The list holds inputs of both kinds, so agreement is not trivially "all pass".
      const outcomes = new Set(inputs.map((input) => schema.safeParse(input).success));
      expect(outcomes).toEqual(new Set([true, false]));
    });
  }

  it('caps the budget at the same value everywhere', () => {
    expect(
      actions.createSession.safeParse({ productPrompt: 'shoes', budgetUsd: 1000 }).success,
    ).toBe(true);
    expect(
      actions.createSession.safeParse({ productPrompt: 'shoes', budgetUsd: 1001 }).success,
    ).toBe(false);
    expect(
      workflowAccepts(() =>
        validateAction(SESSION_ACTIONS.retry, stateAt('failed'), { budgetUsd: 10_000 }),
      ),
    ).toBe(false);
  });
});

/** Tools that record what an action asked for, in place of the workflow's. */
function recordingTools(patchedChanges: boolean) {
  const moves: Stage[] = [];
  let ids = 0;
  const tools: ActionTools = {
    moveTo: (stage) => moves.push(stage),
    touch: () => undefined,
    uuid: () => `new-${++ids}`,
    patched: () => patchedChanges,
  };
  return { moves, tools };
}

describe('applying actions (pure: state, parsed arguments, tools)', () => {
  it('approving images keeps the choice and the trimmed video prompt, then plans scenes', () => {
    const state = stateAt('awaiting_image_approval');
    state.images = [ready('a', 'image'), ready('b', 'image')];
    const { moves, tools } = recordingTools(true);
    const action = SESSION_ACTIONS.approveImages;
    const args = validateAction(action, state, { imageIds: ['a', 'b'], videoPrompt: '  slow  ' });
    action.apply(state, args, tools);
    expect(state.approvedImageIds).toEqual(['a', 'b']);
    expect(state.videoPrompt).toBe('slow');
    expect(moves).toEqual(['planning_scenes']);
  });

  it('regenerating an image puts a variant beside it, or replaces it in runs before variants', () => {
    for (const variants of [true, false]) {
      const state = stateAt('awaiting_image_approval');
      state.images = [{ ...ready('a', 'image'), seed: 7, prompt: 'front view' }];
      const { moves, tools } = recordingTools(variants);
      const action = SESSION_ACTIONS.regenerateImage;
      action.apply(state, validateAction(action, state, { imageId: 'a' }), tools);
      expect(state.images.map((i) => [i.id, i.status, i.seed])).toEqual(
        variants
          ? [
              ['a', 'ready', 7],
              ['new-1', 'pending', 8],
            ]
          : [
              ['new-1', 'pending', 8],
              ['a', 'replaced', 7],
            ],
      );
      expect(moves).toEqual(['generating_images']);
    }
  });

  it('a retry with a changed product prompt plans the images again, keeping the made ones', () => {
    const state = stateAt('failed');
    state.lastError = {
      stage: 'generating_images',
      code: 'CONTENT_POLICY',
      message: 'refused',
      retryable: false,
      at: state.createdAt,
    };
    state.images = [ready('a', 'image'), { ...ready('b', 'image'), status: 'failed' }];
    const { moves, tools } = recordingTools(true);
    const action = SESSION_ACTIONS.retry;
    action.apply(state, validateAction(action, state, { productPrompt: ' blue shoes ' }), tools);
    expect(state.productPrompt).toBe('blue shoes');
    expect(state.images.map((i) => i.id)).toEqual(['a']);
    expect(state.lastError).toBeUndefined();
    expect(moves).toEqual(['planning_images']);
  });
});
