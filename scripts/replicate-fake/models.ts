import type { z } from 'zod';
import { fluxInputSchema, kontextInputSchema, runFlux } from './outputs/image';
import { llmInputSchema, runLlm } from './outputs/llm';
import { matteInputSchema, runMatte } from './outputs/matte';
import { musicInputSchema, runMusic } from './outputs/music';
import { runSpeech, speechInputSchema } from './outputs/speech';
import {
  runSeedance,
  runSvd,
  runWan,
  seedanceInputSchema,
  svdInputSchema,
  wanInputSchema,
} from './outputs/video';
import type { RunContext, RunResult } from './run-context';

/**
 * The models the fake knows, by owner/name. Official models are addressed by name and report
 * version "hidden"; community models need their pinned 64-hex version.
 */

export interface ModelSpec {
  name: string;
  official: boolean;
  /** 64-hex version id for community models; "hidden" for official ones. */
  version: string;
  input: z.ZodType;
  run(input: unknown, ctx: RunContext): Promise<RunResult>;
}

function model<S extends z.ZodType>(
  name: string,
  version: string,
  input: S,
  run: (input: z.infer<S>, ctx: RunContext) => Promise<RunResult>,
): ModelSpec {
  return {
    name,
    official: version === 'hidden',
    version,
    input,
    run: (value, ctx) => run(value as z.infer<S>, ctx),
  };
}

const fluxMulti = (i: z.infer<typeof fluxInputSchema>, ctx: RunContext) =>
  runFlux(i, ctx, { singleOutput: false });
const fluxSingle = (i: z.infer<typeof fluxInputSchema>, ctx: RunContext) =>
  runFlux(i, ctx, { singleOutput: true });

export const MODELS: readonly ModelSpec[] = [
  model('meta/meta-llama-3-8b-instruct', 'hidden', llmInputSchema, runLlm),
  model('meta/meta-llama-3-70b-instruct', 'hidden', llmInputSchema, runLlm),
  model('black-forest-labs/flux-schnell', 'hidden', fluxInputSchema, fluxMulti),
  model('black-forest-labs/flux-dev', 'hidden', fluxInputSchema, fluxMulti),
  model('black-forest-labs/flux-1.1-pro', 'hidden', fluxInputSchema, fluxSingle),
  model('black-forest-labs/flux-kontext-pro', 'hidden', kontextInputSchema, fluxSingle),
  model('bytedance/seedance-1-lite', 'hidden', seedanceInputSchema, runSeedance),
  model('bytedance/seedance-1-pro', 'hidden', seedanceInputSchema, runSeedance),
  model('wan-video/wan-2.2-i2v-fast', 'hidden', wanInputSchema, runWan),
  model('minimax/speech-2.6-turbo', 'hidden', speechInputSchema, runSpeech),
  model(
    '851-labs/background-remover',
    'a029dff38972b5fda4ec5d75d7d1cd25aeff621d2cf4946a41055d7db66b80bc',
    matteInputSchema,
    runMatte,
  ),
  model(
    'stability-ai/stable-video-diffusion',
    '3f0457e4619daac51203dedb472816fd4af51f3149fa7a9e0b5ffcf1b8172438',
    svdInputSchema,
    runSvd,
  ),
  model(
    'meta/musicgen',
    '671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb',
    musicInputSchema,
    runMusic,
  ),
];

export function findModel(name: string): ModelSpec | undefined {
  return MODELS.find((m) => m.name === name);
}

export type Resolved = { spec: ModelSpec } | { status: 404 | 422; detail: string };

/** `POST /v1/models/{owner}/{name}/predictions`: official models only. */
export function resolveByName(name: string): Resolved {
  const spec = findModel(name);
  if (!spec) return { status: 404, detail: `Model ${name} not found.` };
  if (!spec.official) {
    return {
      status: 404,
      detail: `Model ${name} is a community model: create it with POST /v1/predictions and its version.`,
    };
  }
  return { spec };
}

/** `POST /v1/predictions` `version`: a 64-hex id, "owner/name:hex" or "owner/name". */
export function resolveVersion(version: string): Resolved {
  const invalid = { status: 422 as const, detail: 'Invalid version or not permitted.' };
  if (/^[0-9a-f]{64}$/.test(version)) {
    const spec = MODELS.find((m) => m.version === version);
    return spec ? { spec } : invalid;
  }
  const match = /^([^/\s]+\/[^/:\s]+)(?::([0-9a-f]{64}))?$/.exec(version);
  const spec = match?.[1] ? findModel(match[1]) : undefined;
  if (!spec) return invalid;
  if (match?.[2] !== undefined && match[2] !== spec.version) return invalid;
  return { spec };
}
