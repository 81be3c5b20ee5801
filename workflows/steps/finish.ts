import { ApplicationFailure, patched, uuid4 } from '@temporalio/workflow';
import type { AssetView, VoiceoverChoice } from '../../core/session';
import { voiceoverSeconds } from '../../core/voiceover';
import { voiceById } from '../../core/voices';
import { guardBudget, type SessionContext } from '../context';
import { generateEach } from '../ledger';
import { PATCHES } from '../patches';

/** Seconds of music made for an ad of no chosen length (the render trims it to the ad's). */
const MUSIC_SECONDS = 12;
/** How far a cut may move to land on a beat of the music. */
const BEAT_SNAP_SECONDS = 0.25;

/** Makes the music the composition asks for, retiring the track it replaces. */
export async function generateMusic(ctx: SessionContext) {
  const { state, acts } = ctx;
  const composition = state.composition;
  if (!composition) throw ApplicationFailure.nonRetryable('Nothing to compose', 'INVALID_STATE');
  guardBudget(ctx, 'music', 1);
  const previous = state.music;
  const music: AssetView = {
    id: uuid4(),
    type: 'music',
    status: 'pending',
    genre: composition.music.genre,
    seed: state.seed ?? 0,
    costUsd: 0,
  };
  const made = await generateEach(ctx, [music], 'generating_music', 'music', [], () =>
    acts.media.generateMusic.executeWithOptions({ summary: `Music: ${composition.music.genre}` }, [
      {
        sessionId: state.sessionId,
        assetId: music.id,
        genre: composition.music.genre,
        durationSeconds: state.options.durationSeconds ?? MUSIC_SECONDS,
        seed: state.seed ?? 0,
        tier: state.options.tier,
      },
    ]),
  );
  if (previous)
    await ctx.records().recordAsset({
      sessionId: state.sessionId,
      asset: { ...previous, status: 'replaced' },
    });
  state.music = made[0];
  ctx.moveTo('rendering');
}

/** Whether the voice already spoken says this script, with this voice, for this length. */
function voiceMatches(voice: AssetView | undefined, choice: VoiceoverChoice, seconds: number) {
  return (
    voice?.status === 'ready' &&
    voice.prompt === choice.script &&
    voice.voiceId === choice.voiceId &&
    voice.language === choice.language &&
    voice.durationSeconds === seconds
  );
}

/**
 * Speaks the composition's voiceover (unless the voice already spoken says the same), paid and
 * recorded like every generated asset, retiring the voiceover it replaces.
 */
async function speakVoiceover(ctx: SessionContext, choice: VoiceoverChoice): Promise<AssetView> {
  const { state, acts } = ctx;
  const seconds = voiceoverSeconds(state.options.durationSeconds);
  if (voiceMatches(state.voice, choice, seconds)) return state.voice!;
  // Offline voices are free whatever the session's provider; only a provider's own voice is paid.
  if (voiceById(choice.voiceId)?.provider !== 'local') guardBudget(ctx, 'voice', 1);
  const previous = state.voice;
  const voice: AssetView = {
    id: uuid4(),
    type: 'voice',
    status: 'pending',
    prompt: choice.script,
    voiceId: choice.voiceId,
    language: choice.language,
    costUsd: 0,
  };
  const [made] = await generateEach(ctx, [voice], 'rendering', 'voice', [], () =>
    acts.media.generateVoice.executeWithOptions({ summary: `Voiceover (${choice.language})` }, [
      {
        sessionId: state.sessionId,
        assetId: voice.id,
        script: choice.script,
        voiceId: choice.voiceId,
        language: choice.language,
        durationSeconds: seconds,
        tier: state.options.tier,
      },
    ]),
  );
  if (previous) {
    await ctx.records().recordAsset({
      sessionId: state.sessionId,
      asset: { ...previous, status: 'replaced' },
    });
  }
  state.voice = made;
  return made!;
}

/**
 * Renders the approved clips, in the person's order, with the composition's text and music: the
 * session's ad, or (when `exportTarget` is set) the same ad in another format, kept beside it.
 */
export async function render(ctx: SessionContext) {
  const { state, acts } = ctx;
  const composition = state.composition;
  if (!composition) throw ApplicationFailure.nonRetryable('Nothing to render', 'INVALID_STATE');
  const clips = withContinuations(state.clips, state.approvedClipIds);
  // Asked at every render, so that renders from before voiceovers (which never speak) are this
  // patch's old branch on replay; a voiceover is spoken only on its new branch.
  const speaks = patched(PATCHES.voiceover.id);
  const voiceChoice = composition.voice?.enabled ? composition.voice : undefined;
  const voice = speaks && voiceChoice ? await speakVoiceover(ctx, voiceChoice) : undefined;
  const finalId = uuid4();
  state.progress = { done: 0, total: 1, fraction: 0 };
  ctx.touch();
  await ctx.sync();
  const started = Date.now();
  const target = state.exportTarget;
  const aspect = target ?? state.options.aspectRatio;
  const rendered = await acts.render.renderVideo.executeWithOptions(
    { summary: `Render the ${aspect} ad from ${clips.length} clips` },
    [
      {
        sessionId: state.sessionId,
        assetId: finalId,
        clips,
        music: composition.music.enabled ? state.music : undefined,
        ...(voice ? { voice } : {}),
        composition,
        aspectRatio: state.options.aspectRatio,
        durationSeconds: state.options.durationSeconds,
        ...(target ? { targetAspect: target } : {}),
        // Cuts and the lower third land on the music's beats when one is this close.
        ...(composition.music.enabled && state.music ? { beatSnapSeconds: BEAT_SNAP_SECONDS } : {}),
      },
    ],
  );
  const final = target ? { ...rendered, aspectRatio: target } : rendered;
  const previous = target ? state.exports?.find((e) => e.aspectRatio === target) : state.final;
  const replaced = previous ? [{ ...previous, status: 'replaced' as const }] : [];
  const cost = {
    sessionId: state.sessionId,
    stage: 'rendering',
    agent: 'renderer',
    provider: 'ffmpeg',
    model: final.model ?? 'ffmpeg',
    costUsd: 0,
    durationMs: Date.now() - started,
    success: true,
    idempotencyKey: `${state.sessionId}:${finalId}`,
  };
  // One write for the ad, the one it replaces and its ledger entry (older runs: one each).
  if (patched(PATCHES.oneWritePerResult.id)) {
    await ctx.records().recordResult({
      sessionId: state.sessionId,
      assets: [final, ...replaced],
      cost,
    });
  } else {
    await ctx.records().recordAsset({ sessionId: state.sessionId, asset: final });
    for (const asset of replaced) {
      await ctx.records().recordAsset({ sessionId: state.sessionId, asset });
    }
    await ctx.records().recordCost(cost);
  }
  if (target) {
    state.exports = [...(state.exports ?? []).filter((e) => e.aspectRatio !== target), final];
    state.exportTarget = undefined;
  } else {
    state.final = final;
  }
  ctx.moveTo('completed');
}

/**
 * The approved clips in the person's order, each followed by the clips that continue it from its
 * last frame (a chained scene plays as one), ready ones only.
 */
export function withContinuations(clips: AssetView[], approvedIds: string[]): AssetView[] {
  const ready = clips.filter((c) => c.status === 'ready');
  const played: AssetView[] = [];
  const add = (clip: AssetView | undefined) => {
    if (!clip || played.includes(clip)) return;
    played.push(clip);
    add(ready.find((c) => c.continuesFromId === clip.id));
  };
  for (const id of approvedIds) add(ready.find((c) => c.id === id));
  return played;
}
