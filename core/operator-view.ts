import { REPLICATE_TIERS, type ReplicateCapability } from './replicate-models';
import type { SessionState } from './session';
import type { Stage, StagesOfKind } from './stages';

/**
 * How a session reads in Temporal UI, for operators: the run's one-line summary and details
 * (set when it starts), its current details (kept up to date by the workflow) and the name of
 * each wait for a person. Pure, so the client and the workflow share it. No email or secret goes
 * here: the person is named by their opaque user id, as the AdUserId search attribute does.
 */

/** What the session waits for in each stage where a person acts, as a timer's summary says it. */
const WAITS_FOR: Record<StagesOfKind<'person'>, string> = {
  awaiting_plan_approval: 'plan approval',
  awaiting_image_approval: 'image approval',
  awaiting_clip_approval: 'clip approval',
  awaiting_composition: 'the composition',
  completed: 'a re-render or an export',
  failed: 'a retry',
};

const PRODUCT_IN_SUMMARY = 60;
const ERROR_IN_DETAILS = 200;

/** One line, no markdown: user text stays plain (no links or images slipped into the UI). */
function plain(text: string, max: number) {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** User text inside Temporal's markdown, shown as typed, never as links, images or headings. */
function escaped(text: string, max: number) {
  return plain(text, max).replace(/[\\`*_{}[\]()<>#+!|~$]/g, (c) => `\\${c}`);
}

const stageWords = (stage: Stage) => stage.replaceAll('_', ' ');
// Temporal UI reads a pair of dollar signs as maths: amounts are written without them.
const usd = (value: number) => `${value.toFixed(2)} USD`;

function formatWords(state: SessionState) {
  const { aspectRatio, durationSeconds, provider } = state.options;
  const length = durationSeconds === undefined ? '8–12 s' : `${durationSeconds} s`;
  return `${aspectRatio}, ${length}, ${provider}`;
}

/** The run's line in Temporal UI's list: what is advertised, in which format. */
export function runSummary(state: SessionState) {
  return `${plain(state.productPrompt, PRODUCT_IN_SUMMARY)} — ${formatWords(state)} ad`;
}

/** The run's static details: who and what it is for, and where to look further. */
export function runDetails(state: SessionState) {
  const { options } = state;
  return [
    `**Product:** ${escaped(state.productPrompt, 500)}`,
    `**Format:** ${formatWords(state)}, ${options.imageCount} images, tier ${options.tier}`,
    `**Budget:** ${usd(options.budgetUsd)}`,
    `**User id:** \`${state.userId}\``,
    `**Session:** \`${state.sessionId}\` (the \`state\` query shows the whole state)`,
  ].join('\n');
}

/** The run's current details: stage, cost so far, progress and the last error, if any. */
export function currentDetails(state: SessionState) {
  const { progress, costs, lastError } = state;
  const lines = [
    `**Stage:** ${stageWords(state.stage)}` +
      (progress.total > 0 ? ` (${progress.done} of ${progress.total} done)` : ''),
    `**Cost so far:** ${costs.totalUsd.toFixed(2)} of ${usd(state.options.budgetUsd)}`,
    `**Assets:** ${state.images.length} images, ${state.clips.length} clips` +
      (state.final ? ', final ad ready' : ''),
  ];
  if (lastError) {
    const where = [lastError.provider, lastError.model].filter(Boolean).join(' ');
    lines.push(
      `**Last error:** ${lastError.code} in ${stageWords(lastError.stage)}` +
        (where ? ` (${escaped(where, 80)})` : '') +
        `: ${escaped(lastError.message, ERROR_IN_DETAILS)}`,
    );
  }
  return lines.join('\n');
}

/** The model a session's provider and tier use for a capability, as an activity summary names it. */
export function modelWords(state: SessionState, capability: ReplicateCapability) {
  const { provider, tier } = state.options;
  return provider === 'replicate' ? REPLICATE_TIERS[tier][capability] : `${provider} studio`;
}

/** "generate image 2 of 6 (front view), flux-schnell": one asset's activity in the timeline. */
export function workSummary(
  what: string,
  position: { index: number; of: number },
  detail: string,
  model: string,
) {
  return `generate ${what} ${position.index + 1} of ${position.of} (${detail}), ${model}`;
}

/** "save the session row: generating clips, version 12": a row write in the timeline. */
export function syncSummary(state: SessionState) {
  return `save the session row: ${stageWords(state.stage)}, version ${state.version}`;
}

/** "waiting for image approval, 30 d": the summary of the timer of a wait for a person. */
export function waitSummary(stage: StagesOfKind<'person'>, timeoutMs: number) {
  return `waiting for ${WAITS_FOR[stage]}, ${durationWords(timeoutMs)}`;
}

function durationWords(ms: number) {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) return `${Math.round((ms / size) * 10) / 10} ${unit}`;
  }
  return `${ms} ms`;
}
