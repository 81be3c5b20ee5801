import { join } from 'node:path';
import { ffprobe, runFfmpeg, runFfmpegForLog } from '../media/ffmpeg';
import { sec } from '../render/filter-values';
import type { SpokenPhrase } from '../providers/types';

/**
 * Cuts one recording of a whole script (a paid model speaks it in one call, with a pause mark
 * between phrases) back into its phrases, at the pauses: the longest silences inside the speech,
 * one fewer than there are phrases. When the model skipped some pauses, the speech between the
 * pauses it kept is shared out by the phrases' lengths in characters. Finding the cuts is pure.
 */

export interface Silence {
  start: number;
  end: number;
}

/** Pauses shorter than this are breaths between words, not the marks between phrases. */
export const MIN_PAUSE_SECONDS = 0.25;

/** Pure: silencedetect's log as silences (seconds). */
export function parseSilences(log: string, totalSeconds: number): Silence[] {
  const silences: Silence[] = [];
  let start: number | null = null;
  for (const match of log.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
    const at = Math.max(0, Number(match[2]));
    if (match[1] === 'start') start = at;
    else if (start !== null) {
      silences.push({ start, end: at });
      start = null;
    }
  }
  if (start !== null) silences.push({ start, end: totalSeconds });
  return silences;
}

/**
 * Pure: the `count - 1` cut points (seconds) between phrases: the middle of the longest pauses
 * inside the speech, in time order; where pauses are missing, the stretch between two found cuts
 * is split by the characters of the phrases it holds.
 */
export function cutPoints(
  silences: readonly Silence[],
  phrases: readonly string[],
  totalSeconds: number,
): number[] {
  const count = phrases.length;
  if (count <= 1) return [];
  const leading = silences.find((s) => s.start <= 0.01);
  const trailing = silences.find((s) => s.end >= totalSeconds - 0.01);
  const speechStart = leading?.end ?? 0;
  const speechEnd = trailing?.start ?? totalSeconds;
  const inner = silences
    .filter((s) => s !== leading && s !== trailing && s.end - s.start >= MIN_PAUSE_SECONDS)
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, count - 1)
    .sort((a, b) => a.start - b.start);
  if (inner.length === count - 1) return inner.map((s) => (s.start + s.end) / 2);

  // Fewer pauses than expected: share the whole speech by characters (the honest fallback).
  const weights = phrases.map((p) => Math.max(1, Array.from(p).length));
  const total = weights.reduce((a, b) => a + b, 0);
  const cuts: number[] = [];
  let acc = 0;
  for (let i = 0; i < count - 1; i++) {
    acc += weights[i]!;
    cuts.push(speechStart + ((speechEnd - speechStart) * acc) / total);
  }
  return cuts;
}

/** Splits `recording` into one WAV per phrase in `dir`. */
export async function splitAtPauses(
  recording: string,
  phrases: readonly string[],
  dir: string,
  signal?: AbortSignal,
): Promise<SpokenPhrase[]> {
  const probe = await ffprobe(recording, signal);
  const total = Number(probe.format.duration ?? probe.streams[0]?.duration);
  if (!Number.isFinite(total) || total <= 0) throw new Error('The voice recording has no length');
  const log = await runFfmpegForLog(
    [
      '-nostats',
      '-i',
      `file:${recording}`,
      '-af',
      `silencedetect=noise=-40dB:d=${MIN_PAUSE_SECONDS / 2}`,
      '-f',
      'null',
      '/dev/null',
    ],
    { signal },
  );
  const cuts = cutPoints(parseSilences(log, total), phrases, total);
  const bounds = [0, ...cuts, total];
  return Promise.all(
    phrases.map(async (text, index) => {
      const path = join(dir, `phrase-${index}.wav`);
      await runFfmpeg(
        [
          '-y',
          '-i',
          `file:${recording}`,
          '-af',
          `atrim=start=${sec(bounds[index]!)}:end=${sec(bounds[index + 1]!)}`,
          '-c:a',
          'pcm_s16le',
          `file:${path}`,
        ],
        { signal },
      );
      return { text, path };
    }),
  );
}
