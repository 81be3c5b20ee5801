import { HEX_COLOUR } from '../../../core/colour';
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { completeRoles, orderByRole } from '../../../core/beats';
import { BEAT_ROLES, CAMERA_MOVES, CLIP_SECONDS, PRODUCT_VIEWS } from '../../../core/options';
import { maxUnits, scriptFit } from '../../../core/voice-script';
import { voiceoverSeconds } from '../../../core/voiceover';
import { detectLanguage } from '../../../core/voices';
import { writeVoiceover } from '../local/voiceover';
import type { BeatRole } from '../../../core/options';
import { replicateModel } from '../../../core/replicate-models';
import type { Planner, ScenePlan, ShotPlan } from '../types';
import type { createLifecycle } from './lifecycle';
import { requireJob } from './media';

type Lifecycle = ReturnType<typeof createLifecycle>;

/**
 * The planner on an LLM: it writes the shot plan and the scene plan as JSON. The reply is
 * validated with zod; a malformed one is repaired (code fences, prose around the object) or the
 * model is asked once more with the problem named; after that the rule-based planner plans, so a
 * session never stops for a chatty model. The session keeps one seed and one style throughout.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

const ShotPlanReply = z.object({
  product: z.object({
    name: text(80),
    kind: text(40),
    colourName: text(40),
    colourHex: z.string().regex(HEX_COLOUR),
    material: text(60),
  }),
  style: z.object({
    lighting: text(200),
    camera: text(200),
    palette: z.array(z.string().regex(HEX_COLOUR)).min(2).max(6),
    mood: text(120),
    grade: text(120),
    backdrop: text(200),
  }),
  shots: z
    .array(
      z.object({
        view: z.enum(PRODUCT_VIEWS),
        prompt: text(600),
        role: z.enum(BEAT_ROLES).optional(),
      }),
    )
    .min(1),
});

const ScenePlanReply = z.object({
  scenes: z
    .array(
      z.object({
        imageId: z.string(),
        motion: z.enum(CAMERA_MOVES),
        prompt: text(600),
        role: z.enum(BEAT_ROLES).optional(),
      }),
    )
    .min(1),
  voiceover: z.string().trim().min(1).max(600).optional(),
});

/**
 * With a product photo, an edit model keeps the product as photographed and changes what is
 * around it: it cannot show a side or back it never saw, so each shot asks for another scene.
 */
const PHOTO_SHOTS =
  'each a different scene around the product as it appears in its photo (setting, surface, ' +
  'light and its direction, props, camera distance and framing); the product is kept exactly ' +
  'as photographed, so never ask for a side, back, top or other view of it, ';

/** A shot prompt that asks to turn the product: an edit model only has the photographed side. */
const VIEW_ASKS =
  /\b(front|side|back|rear|top|top-down|underside|bottom|profile)[\s-]+(view|angle)\b|\bfrom (behind|the back|the side|below)\b|\b(side|back) profile\b/i;

const SYSTEM_PROMPT =
  'You are the art director of a product advertising studio. You answer with exactly one JSON ' +
  'object and nothing else: no prose, no code fences.';

export function createReplicatePlanner(lifecycle: Lifecycle, fallback: Planner): Planner {
  /** Asks the model (and once more if the reply is unusable); undefined means "fall back". */
  async function ask<T>(
    purpose: string,
    instructions: string,
    request: unknown,
    schema: z.ZodType<T>,
    accept: (reply: T) => string | undefined,
    ctx: Parameters<Planner['planShots']>[1],
  ): Promise<{ reply: T | undefined; costUsd: number; model: string }> {
    const job = requireJob(ctx);
    const model = replicateModel(job.tier, 'planner');
    let costUsd = 0;
    let problem: string | undefined;
    for (const round of ['', ':again'] as const) {
      const prompt =
        `${instructions}\n` +
        (problem
          ? `Your previous answer was unusable (${problem}). Answer again, JSON only.\n`
          : '') +
        `REQUEST: ${JSON.stringify(request)}`;
      const finished = await lifecycle.run(
        {
          sessionId: job.sessionId,
          assetId: job.assetId,
          purpose: `${purpose}${round}`,
          model,
          input: model.buildInput({ prompt, systemPrompt: SYSTEM_PROMPT }),
        },
        ctx,
      );
      costUsd = finished.assetCostUsd;
      const parsed = schema.safeParse(extractJson(joinOutput(finished.prediction.output)));
      problem = parsed.success ? accept(parsed.data) : describeIssue(parsed.error);
      if (parsed.success && !problem) return { reply: parsed.data, costUsd, model: model.ref };
    }
    return { reply: undefined, costUsd, model: model.ref };
  }

  return {
    async planShots(input, ctx) {
      // The seed and the parsed product come from the rule-based reading of the prompt, so a
      // session keeps the same seed whatever the model says.
      const base = await fallback.planShots(input);
      const asked = await ask(
        'plan-shots',
        `Plan ${input.count} product photographs for an advertisement. Reply with ` +
          '{"product":{"name","kind","colourName","colourHex":"#rrggbb","material"},' +
          '"style":{"lighting","camera","palette":["#rrggbb",...],"mood","grade","backdrop"},' +
          `"shots":[{"view": one of ${PRODUCT_VIEWS.join('|')},"role": one of ` +
          `${BEAT_ROLES.join('|')},"prompt"}]} with exactly ${input.count} shots, ` +
          (input.hasPhoto ? PHOTO_SHOTS : 'a different view or angle each, ') +
          'one style for all. Roles are the beats of the ad: one hook (an ' +
          'eye-catching opener), one reveal, one call_to_action (the closing hero shot), the ' +
          'rest feature or lifestyle. Do not restate the style in the shot prompts: it is ' +
          'added to every prompt.',
        {
          task: 'shot_plan',
          product_prompt: input.prompt,
          count: input.count,
          aspect_ratio: input.aspectRatio,
          seed: base.seed,
          ...(input.hasPhoto
            ? { product_photo: 'one photograph of the product, one side only' }
            : {}),
        },
        ShotPlanReply,
        (reply) => {
          if (reply.shots.length !== input.count) {
            return `${reply.shots.length} shots, not ${input.count}`;
          }
          const unseen = input.hasPhoto
            ? reply.shots.findIndex((shot) => VIEW_ASKS.test(shot.prompt))
            : -1;
          return unseen < 0
            ? undefined
            : `shot ${unseen + 1} asks for a view of the product that its photo does not show`;
        },
        ctx,
      );
      if (!asked.reply) {
        return {
          ...base,
          model: `${asked.model} (fell back to ${base.model})`,
          costUsd: asked.costUsd,
        };
      }
      const { shots, ...rest } = asked.reply;
      const plan: ShotPlan = { seed: base.seed, ...rest, shots: withRoles(shots) };
      return { ...plan, model: asked.model, costUsd: asked.costUsd };
    },

    async planScenes(input, ctx) {
      const ids = new Set(input.images.map((i) => i.id));
      const seconds = voiceoverSeconds(input.durationSeconds);
      const words = maxUnits(seconds, 'en');
      const asked = await ask(
        'plan-scenes',
        'Plan one short video scene per approved image for the advertisement. Reply with ' +
          `{"scenes":[{"imageId","motion": one of ${CAMERA_MOVES.join('|')},"role": one of ` +
          `${BEAT_ROLES.join('|')},"prompt"}]}: one scene per image id, each prompt describing ` +
          'the motion of the camera and light while the product stays unchanged and in frame. ' +
          'The ad plays the roles in that order: start with one hook, end with one ' +
          `call_to_action. Also write "voiceover": the words a narrator says over the ${seconds} s ` +
          `ad, at most ${words} words in short sentences, one per beat in play order: a hook of ` +
          'at most four words first, the call to action last.',
        {
          task: 'scene_plan',
          video_prompt: input.videoPrompt,
          product: input.product,
          style: input.style,
          images: input.images,
          duration_seconds: seconds,
          voiceover_max_words: words,
        },
        ScenePlanReply,
        (reply) => {
          const covered = new Set(reply.scenes.map((s) => s.imageId));
          const unknown = reply.scenes.find((s) => !ids.has(s.imageId));
          if (unknown) return `unknown image id ${unknown.imageId}`;
          return covered.size === ids.size ? undefined : 'not one scene per image';
        },
        ctx,
      );
      if (!asked.reply) {
        const base = await fallback.planScenes(input);
        return {
          ...base,
          model: `${asked.model} (fell back to ${base.model})`,
          costUsd: asked.costUsd,
        };
      }
      const views = new Map(input.images.map((i) => [i.id, i.view]));
      const scenes = withRoles(
        asked.reply.scenes.map((s) => ({ ...s, view: views.get(s.imageId) ?? 'front' })),
      ).map(({ view: _view, ...s }) => ({ ...s, durationSeconds: CLIP_SECONDS }));
      const ordered = orderByRole(scenes);
      const plan: ScenePlan = {
        scenes: ordered,
        voiceover: usableVoiceover(asked.reply.voiceover, seconds) ?? {
          ...writeVoiceover({
            product: input.product,
            style: input.style,
            roles: ordered.map((scene) => scene.role),
            durationSeconds: seconds,
          }),
        },
      };
      return { ...plan, model: asked.model, costUsd: asked.costUsd };
    },
  };
}

/**
 * The model's voiceover when it fits the ad and says its hook in time; otherwise the rule-based
 * one is used (a long-winded model never makes a script the person has to cut first).
 */
function usableVoiceover(script: string | undefined, seconds: number) {
  if (!script) return undefined;
  const language = detectLanguage(script);
  const fit = scriptFit(script, seconds, language);
  return fit.fits && fit.hookInTime ? { script: script.trim(), language } : undefined;
}

/** The model's roles, or roles dealt by view when it skipped some: a session never depends on
 * the model following the brief. */
function withRoles<T extends { view: (typeof PRODUCT_VIEWS)[number]; role?: BeatRole | undefined }>(
  items: T[],
): Array<T & { role: BeatRole }> {
  const roles = completeRoles(
    items.map((i) => i.view),
    items.map((i) => i.role),
  );
  return items.map((item, index) => ({ ...item, role: roles[index] ?? 'feature' }));
}

/** Official LLMs stream their reply as an array of text pieces. */
function joinOutput(output: unknown): string {
  if (Array.isArray(output)) return output.filter((p) => typeof p === 'string').join('');
  if (typeof output === 'string') return output;
  throw ApplicationFailure.retryable('The planner returned nothing.', 'PROVIDER_REJECTED');
}

/** The first {...} object in a reply, without code fences or prose around it. */
export function extractJson(reply: string): unknown {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(reply.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not valid JSON';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : 'not valid JSON';
}
