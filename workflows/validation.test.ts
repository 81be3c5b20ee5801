import { describe, expect, it } from 'vitest';
import * as actions from '../core/actions';
import type { AssetView, SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import { initialState } from './state';
import * as validate from './validation';

/**
 * The edge rules exist once (core/actions.ts): the API's schema and the workflow's validator
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
        validate.validateApproveImages(stateAt('awaiting_image_approval'), args as never),
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
        validate.validateApproveClips(stateAt('awaiting_clip_approval'), args as never),
      inputs: [{ clipIds: ['c1'] }, { clipIds: [] }, { clipIds: ['c1', 'c1'] }, { clipIds: 'c1' }],
    },
    compose: {
      schema: actions.compose,
      check: (args: unknown) =>
        validate.validateCompose(stateAt('awaiting_composition'), args as never),
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
        validate.validateRegenerateImage(stateAt('awaiting_image_approval'), args as never),
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
      check: (args: unknown) => validate.validateRetry(stateAt('failed'), args as never),
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
      workflowAccepts(() => validate.validateRetry(stateAt('failed'), { budgetUsd: 10_000 })),
    ).toBe(false);
  });
});
