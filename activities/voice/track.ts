import { join } from 'node:path';
import { businessFailure } from '../../core/errors';
import { placePhrases, ScriptTooLongError } from '../../core/voice-timing';
import type { VoicePlacement } from '../../core/voice-timing';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import { sec } from '../render/filter-values';
import type { SpokenPhrase } from '../providers/types';

/**
 * From spoken phrases to the ad's voice track: each phrase trimmed of the silence synthesisers
 * put around it and measured, placed on the ad's timeline (core/voice-timing.ts), and laid into
 * one mono track exactly as long as the ad, so the render mixes it from the first frame and every
 * caption's time is the time its words are heard.
 */

/** Quieter than this counts as the silence around a phrase. */
const SILENCE_DB = -45;

/** Pure: a phrase at 48 kHz mono with the silence before and after it cut off. */
export function buildTrimArgs(input: string, output: string): string[] {
  const trim = `silenceremove=start_periods=1:start_threshold=${SILENCE_DB}dB:start_silence=0.03`;
  return [
    '-y',
    '-i',
    `file:${input}`,
    '-af',
    [
      'aresample=48000',
      'aformat=sample_fmts=s16:channel_layouts=mono',
      trim,
      'areverse',
      trim,
      'areverse',
    ].join(','),
    '-c:a',
    'pcm_s16le',
    `file:${output}`,
  ];
}

/** Pure: the placed phrases mixed into one track of `totalSeconds` (FLAC, 48 kHz mono). */
export function buildTrackArgs(
  phrases: ReadonlyArray<{ path: string }>,
  placement: VoicePlacement,
  totalSeconds: number,
  output: string,
): string[] {
  const args = ['-y'];
  const chains: string[] = [];
  phrases.forEach((phrase, index) => {
    const at = placement.phrases[index];
    if (!at) throw new Error('Every phrase needs a place');
    args.push('-i', `file:${phrase.path}`);
    const tempo = placement.tempo > 1.0005 ? `,atempo=${placement.tempo.toFixed(4)}` : '';
    const delay = Math.round(at.startSeconds * 1000);
    chains.push(
      `[${index}:a]aformat=sample_fmts=fltp:channel_layouts=mono${tempo},adelay=${delay}:all=1[p${index}]`,
    );
  });
  const labels = phrases.map((_, i) => `[p${i}]`).join('');
  chains.push(
    `${labels}amix=inputs=${phrases.length}:duration=longest:normalize=0,` +
      `apad=whole_dur=${sec(totalSeconds)},atrim=duration=${sec(totalSeconds)}[voice]`,
  );
  args.push('-filter_complex', chains.join(';'), '-map', '[voice]');
  args.push('-c:a', 'flac', '-ar', '48000', '-ac', '1', `file:${output}`);
  return args;
}

export interface VoiceTrack {
  path: string;
  placement: VoicePlacement;
}

/** Trims, measures and places the phrases, then writes the track to `output`. */
export async function buildVoiceTrack(
  spoken: readonly SpokenPhrase[],
  totalSeconds: number,
  dir: string,
  output: string,
  signal?: AbortSignal,
  /** False for a sample: the phrases follow one another instead of ending with the ad. */
  closeAtEnd = true,
): Promise<VoiceTrack> {
  const trimmed = await Promise.all(
    spoken.map(async (phrase, index) => {
      const path = join(dir, `trimmed-${index}.wav`);
      await runFfmpeg(buildTrimArgs(phrase.path, path), { signal });
      const probe = await ffprobe(path, signal);
      const seconds = Number(probe.streams[0]?.duration ?? probe.format.duration);
      if (!Number.isFinite(seconds) || seconds <= 0) {
        throw businessFailure('MEDIA_INVALID', `The voice said nothing for "${phrase.text}".`);
      }
      return { text: phrase.text, path, seconds };
    }),
  );
  let placement: VoicePlacement;
  try {
    placement = placePhrases(trimmed, totalSeconds, closeAtEnd);
  } catch (error) {
    if (error instanceof ScriptTooLongError)
      throw businessFailure('VALIDATION_FAILED', error.message);
    throw error;
  }
  await runFfmpeg(buildTrackArgs(trimmed, placement, totalSeconds, output), { signal });
  return { path: output, placement };
}
