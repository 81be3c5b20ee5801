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

describe('fixing the product cutout (plan review, or after a refused photo)', () => {
  const photo =
    'uploads/00000000-0000-4000-8000-000000000000/11111111-1111-4111-8111-111111111111.png';
  const withPhoto = (stage: Stage) => {
    const state = stateAt(stage);
    state.productPhotoKey = photo;
    state.productCutout = {
      ...ready('cut', 'image'),
      status: 'failed',
      errorCode: 'PRODUCT_UNCLEAR',
    };
    return state;
  };
  const refused = (stage: Stage) => {
    const state = withPhoto('failed');
    state.lastError = {
      stage,
      code: 'PRODUCT_UNCLEAR',
      message: 'Nothing stands out.',
      retryable: false,
      at: state.createdAt,
    };
    return state;
  };
  const refusal = (state: SessionState, args: unknown) => {
    try {
      validateAction(SESSION_ACTIONS.refineCutout, state, args);
    } catch (error) {
      return error as { type: string; message: string };
    }
    throw new Error('expected a refusal');
  };

  it('refuses marks off the photo, too many marks, a tiny box and no marks, naming the problem', () => {
    const state = withPhoto('awaiting_plan_approval');
    const cases: Array<[unknown, RegExp]> = [
      [{}, /Mark what to keep or drop, or draw a box/],
      [{ drop: [{ x: 1.2, y: 0.5 }] }, /^drop\.0\.x: A mark must lie on the photo\./],
      [{ keep: [{ x: 0.5 }] }, /^keep\.0\.y/],
      [{ drop: Array.from({ length: 21 }, () => ({ x: 0.5, y: 0.5 })) }, /at most 20 marks/],
      [{ box: { x: 0.9, y: 0.1, w: 0.5, h: 0.5 } }, /The box must lie on the photo/],
      [{ box: { x: 0.1, y: 0.1, w: 0.001, h: 0.5 } }, /Draw the box around the whole product/],
      [{ drop: [{ x: 0.5, y: 0.5, label: 'x' }] }, /drop\.0/],
    ];
    for (const [args, message] of cases) {
      const error = refusal(state, args);
      expect(error.type, JSON.stringify(args)).toBe('VALIDATION_FAILED');
      expect(error.message, JSON.stringify(args)).toMatch(message);
      // The API's schema refuses exactly the same.
      expect(actions.refineCutout.safeParse(args).success).toBe(false);
    }
  });

  it('marks replace the earlier ones and redo the cutout at the plan review', () => {
    const state = withPhoto('awaiting_plan_approval');
    state.cutoutHints = { keep: [{ x: 0.1, y: 0.1 }], drop: [] };
    const { moves, tools } = recordingTools(true);
    const action = SESSION_ACTIONS.refineCutout;
    const args = { drop: [{ x: 0.2, y: 0.8 }], box: { x: 0.1, y: 0.1, w: 0.5, h: 0.6 } };
    action.apply(state, validateAction(action, state, args), tools);
    expect(state.cutoutHints).toEqual({ keep: [], ...args });
    expect(state.productCutout?.status).toBe('replaced');
    expect(moves).toEqual(['awaiting_plan_approval']);
  });

  it('a refused photo is fixed from the failed step: marks or another photo, not a plain retry', () => {
    const marked = refused('generating_images');
    const { moves, tools } = recordingTools(true);
    const refine = SESSION_ACTIONS.refineCutout;
    const box = { x: 0.4, y: 0.2, w: 0.2, h: 0.7 };
    refine.apply(marked, validateAction(refine, marked, { box }), tools);
    expect(marked.lastError).toBeUndefined();
    expect(marked.cutoutHints?.box).toEqual(box);
    expect(moves).toEqual(['awaiting_plan_approval']);

    const another = refused('awaiting_plan_approval');
    another.cutoutHints = { box };
    const replace = SESSION_ACTIONS.replaceProductPhoto;
    const newPhoto = photo.replace('11111111', '22222222');
    replace.apply(
      another,
      validateAction(replace, another, { productPhotoKey: newPhoto }),
      recordingTools(true).tools,
    );
    expect(another.productPhotoKey).toBe(newPhoto);
    expect(another.cutoutHints).toBeUndefined();
    expect(another.stage).toBe('failed');

    const plain = refused('generating_images');
    expect(() => validateAction(SESSION_ACTIONS.retry, plain, {})).toThrow(/Mark the product/);
  });

  it('is refused after other failures, and with a paid provider marks are not offered', () => {
    const other = refused('generating_images');
    other.lastError = { ...other.lastError!, code: 'INTERNAL' };
    expect(refusal(other, { box: { x: 0, y: 0, w: 1, h: 1 } }).type).toBe('INVALID_STATE');
    const paid = withPhoto('awaiting_plan_approval');
    paid.options = { ...paid.options, provider: 'replicate' };
    expect(refusal(paid, { drop: [{ x: 0.5, y: 0.5 }] }).message).toMatch(/transparent PNG/);
  });
});
