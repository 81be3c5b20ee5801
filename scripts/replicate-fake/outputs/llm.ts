import { z } from 'zod';
import { ASPECT_RATIOS, PRODUCT_VIEWS } from '../../../core/options';
import { createLocalPlanner } from '../../../activities/providers/local/planner';
import { ModelError } from '../run-context';
import type { RunContext, RunResult } from '../run-context';

/**
 * The language-model planner. The studio's prompt carries one line `REQUEST: {json}` naming the
 * task; the fake answers it with the local rule-based planner and streams the JSON text back as
 * an array of small string tokens, the way Replicate's official LLMs return output.
 */

export const llmInputSchema = z.object({
  prompt: z.string().min(1),
  system_prompt: z.string().optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(5).optional(),
});
export type LlmInput = z.infer<typeof llmInputSchema>;

const productSchema = z.object({
  name: z.string(),
  kind: z.string(),
  colourName: z.string(),
  colourHex: z.string(),
  material: z.string(),
});
const styleSchema = z.object({
  lighting: z.string(),
  camera: z.string(),
  palette: z.array(z.string()),
  mood: z.string(),
  grade: z.string(),
  backdrop: z.string(),
});
const requestSchema = z.discriminatedUnion('task', [
  z.object({
    task: z.literal('shot_plan'),
    product_prompt: z.string().min(1),
    count: z.number().int().min(1).max(20),
    aspect_ratio: z.enum(ASPECT_RATIOS),
    seed: z.number().int().optional(),
  }),
  z.object({
    task: z.literal('scene_plan'),
    video_prompt: z.string(),
    product: productSchema,
    style: styleSchema,
    images: z.array(z.object({ id: z.string(), view: z.enum(PRODUCT_VIEWS), prompt: z.string() })),
    duration_seconds: z.number().int().positive().optional(),
  }),
]);

const TOKEN_CHARS = 4;

export async function runLlm(input: LlmInput, ctx: RunContext): Promise<RunResult> {
  const request = readRequest(input.prompt);
  ctx.progress(0.2);
  const reply = await answer(request);
  const text = ctx.malformedJson ? breakJson(reply) : reply;
  ctx.progress(1);
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i += TOKEN_CHARS) tokens.push(text.slice(i, i + TOKEN_CHARS));
  const promptChars = input.prompt.length + (input.system_prompt?.length ?? 0);
  return {
    output: tokens,
    metrics: {
      input_token_count: Math.ceil(promptChars / 4),
      output_token_count: Math.ceil(text.length / 4),
    },
  };
}

function readRequest(prompt: string): z.infer<typeof requestSchema> {
  const line = prompt.split('\n').find((l) => l.trimStart().startsWith('REQUEST:'));
  if (!line) throw new ModelError('The prompt has no line starting with REQUEST: (fake planner).');
  let json: unknown;
  try {
    json = JSON.parse(line.slice(line.indexOf('REQUEST:') + 'REQUEST:'.length));
  } catch {
    throw new ModelError('The REQUEST: line is not one JSON object (fake planner).');
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError(
      `The REQUEST: object is not a known task (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}).`,
    );
  }
  return parsed.data;
}

async function answer(request: z.infer<typeof requestSchema>): Promise<string> {
  const planner = createLocalPlanner();
  if (request.task === 'shot_plan') {
    const plan = await planner.planShots({
      prompt: request.product_prompt,
      count: request.count,
      aspectRatio: request.aspect_ratio,
      seed: request.seed,
    });
    return JSON.stringify({ product: plan.product, style: plan.style, shots: plan.shots });
  }
  const plan = await planner.planScenes({
    videoPrompt: request.video_prompt,
    product: request.product,
    style: request.style,
    images: request.images,
    durationSeconds: request.duration_seconds,
  });
  return JSON.stringify({
    scenes: plan.scenes.map(({ imageId, motion, prompt }) => ({ imageId, motion, prompt })),
    voiceover: plan.voiceover?.script,
  });
}

/** What a chatty model does on a bad day: prose first, then JSON cut off half way. */
function breakJson(reply: string): string {
  return `Sure! Here is the plan you asked for:\n\n${reply.slice(0, Math.floor(reply.length / 2))}`;
}
