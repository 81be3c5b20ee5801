import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { businessFailure } from '../core/errors';
import { SESSION_EVENTS, type ProgressEvent } from '../core/rooms';
import type { AssetView } from '../core/session';
import { splitPhrases } from '../core/voice-script';
import { voiceById } from '../core/voices';
import { assetKey } from '../storage';
import { providerCallContext } from './context';
import type { ActivityDeps } from './deps';
import { truthfully } from './failures';
import type { GenerateVoiceInput, PreviewVoiceInput, VoicePreview } from './inputs';
import { ffprobe, runFfmpeg } from './media/ffmpeg';
import { SpeechEngineMissingError } from './voice/engines';
import { buildVoiceTrack } from './voice/track';
import { withWorkspace } from './workspace';

/** The most of a script a preview reads: its first phrases, up to about five seconds. */
const PREVIEW_MAX_CHARS = 90;

/**
 * The voiceover: spoken by the session's provider (offline synthesisers, or a speech model on
 * Replicate paid once through the prediction lifecycle), laid on the ad's timeline, stored with
 * its cues. And a preview: the same voice reading the start of the script, returned as MP3 bytes
 * to the API, which waits for it with a deadline (synthesis never runs in the API process).
 */
export function createVoiceActivities(deps: ActivityDeps) {
  const { providers, storage } = deps;

  const voiceOf = (voiceId: string) => {
    const voice = voiceById(voiceId);
    if (!voice) throw businessFailure('VALIDATION_FAILED', `There is no voice ${voiceId}.`);
    return voice;
  };
  /** A missing synthesiser is the machine's problem, not a flaky call: say so, do not retry. */
  const speaking = async <T>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SpeechEngineMissingError) {
        throw businessFailure('PROVIDER_UNAVAILABLE', error.message);
      }
      throw error;
    }
  };

  return {
    async generateVoice(input: GenerateVoiceInput): Promise<AssetView> {
      return truthfully(deps.log, 'the voiceover', async () => {
        const voice = voiceOf(input.voiceId);
        const ctx = providerCallContext(
          (fraction) =>
            deps.publish(input.sessionId, SESSION_EVENTS.progress, {
              assetId: input.assetId,
              fraction,
              side: true,
            } satisfies ProgressEvent),
          { sessionId: input.sessionId, assetId: input.assetId, tier: input.tier ?? 'standard' },
        );
        return withWorkspace(deps.workDir, 'voice', async (dir) => {
          const started = Date.now();
          const phrases = splitPhrases(input.script, input.language);
          if (phrases.length === 0) {
            throw businessFailure('VALIDATION_FAILED', 'The voiceover script has no words.');
          }
          const spoken = await speaking(() =>
            providers.voices.speak({ phrases, voice, language: input.language, dir }, ctx),
          );
          const track = await buildVoiceTrack(
            spoken.phrases,
            input.durationSeconds,
            dir,
            join(dir, `${input.assetId}.flac`),
            ctx.signal,
          );
          const key = assetKey(input.sessionId, 'voice', input.assetId, 'flac');
          const stored = await storage.putFile(key, track.path, 'audio/flac');
          return {
            id: input.assetId,
            type: 'voice',
            status: 'ready',
            storageKey: key,
            mime: 'audio/flac',
            bytes: stored.bytes,
            sha256: stored.sha256,
            durationSeconds: input.durationSeconds,
            provider: providers.name,
            model: spoken.model,
            prompt: input.script,
            voiceId: voice.id,
            language: input.language,
            cues: track.placement.cues,
            costUsd: spoken.costUsd,
            generationMs: Date.now() - started,
          };
        });
      });
    },

    async previewVoice(input: PreviewVoiceInput): Promise<VoicePreview> {
      return truthfully(deps.log, 'the voice preview', async () => {
        const voice = voiceOf(input.voiceId);
        const ctx = providerCallContext(undefined, {
          sessionId: input.sessionId,
          assetId: input.previewId,
          tier: input.tier ?? 'standard',
        });
        return withWorkspace(deps.workDir, 'voice-preview', async (dir) => {
          const all = splitPhrases(input.text, input.language);
          const phrases: string[] = [];
          for (const phrase of all) {
            if (phrases.length > 0 && [...phrases, phrase].join(' ').length > PREVIEW_MAX_CHARS)
              break;
            phrases.push(phrase);
          }
          if (phrases.length === 0) {
            throw businessFailure('VALIDATION_FAILED', 'Write a few words for the voice to read.');
          }
          const spoken = await speaking(() =>
            providers.voices.speak({ phrases, voice, language: input.language, dir }, ctx),
          );
          const seconds = 0.6 + phrases.length * 6;
          const track = await buildVoiceTrack(
            spoken.phrases,
            seconds,
            dir,
            join(dir, 'preview.flac'),
            ctx.signal,
            false,
          );
          // Cut to the end of the last phrase, and encode small enough to return through Temporal.
          const last = track.placement.phrases.at(-1)!;
          const end = last.startSeconds + last.spokenSeconds + 0.3;
          const mp3 = join(dir, 'preview.mp3');
          await runFfmpeg([
            '-y',
            '-i',
            `file:${track.path}`,
            '-t',
            end.toFixed(3),
            '-c:a',
            'libmp3lame',
            '-b:a',
            '64k',
            `file:${mp3}`,
          ]);
          const probe = await ffprobe(mp3);
          return {
            audioBase64: (await readFile(mp3)).toString('base64'),
            mime: 'audio/mpeg',
            durationSeconds: Number(probe.format.duration ?? end),
            model: spoken.model,
            costUsd: spoken.costUsd,
          };
        });
      });
    },
  };
}
