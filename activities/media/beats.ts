import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from './ffmpeg';

/**
 * The beat grid of a music track: its tempo and the time of every beat, so cuts and text can land
 * on the beat. The analysis is pure (mono PCM in, grid out): an onset envelope (rises in the
 * energy of the pre-emphasised signal, hop by hop), its autocorrelation over 60..200 BPM weighted
 * towards moderate tempi, and the phase whose beats sit on the most onset energy. Only
 * `decodeMono` runs FFmpeg.
 */

export interface BeatGrid {
  bpm: number;
  /** Seconds from the start of the track, ascending. */
  beats: number[];
}

export const ANALYSIS_RATE = 11_025;
const HOP = 128;
const WINDOW = 512;
const MIN_BPM = 60;
const MAX_BPM = 200;
/** Tempo prior: a log-normal around 120 BPM, so a doubled or halved tempo loses a close call. */
const PRIOR_CENTRE = 120;
const PRIOR_WIDTH = 1.1;

/** Pure: rises in short-time energy of the pre-emphasised signal, one value per hop. */
export function onsetEnvelope(samples: Float32Array): Float64Array {
  const hops = Math.max(0, Math.floor((samples.length - WINDOW) / HOP) + 1);
  const energy = new Float64Array(hops);
  for (let h = 0; h < hops; h++) {
    let sum = 0;
    const start = h * HOP;
    for (let i = start + 1; i < start + WINDOW; i++) {
      const d = samples[i]! - 0.97 * samples[i - 1]!;
      sum += d * d;
    }
    energy[h] = Math.log(1e-9 + sum / WINDOW);
  }
  const envelope = new Float64Array(hops);
  for (let h = 1; h < hops; h++) envelope[h] = Math.max(0, energy[h]! - energy[h - 1]!);
  return envelope;
}

/** Pure: tempo and beat times from mono PCM samples at `rate`. */
export function findBeatGrid(samples: Float32Array, rate = ANALYSIS_RATE): BeatGrid {
  const envelope = onsetEnvelope(samples);
  const hopSeconds = HOP / rate;
  const n = envelope.length;
  const mean = envelope.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const centred = envelope.map((v) => v - mean);
  const minLag = Math.max(1, Math.floor(60 / MAX_BPM / hopSeconds));
  const maxLag = Math.min(n - 1, Math.ceil(60 / MIN_BPM / hopSeconds));
  const score = new Float64Array(maxLag + 2);
  for (let lag = minLag; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += centred[i]! * centred[i - lag]!;
    const bpm = 60 / (lag * hopSeconds);
    const prior = Math.exp(-0.5 * (Math.log2(bpm / PRIOR_CENTRE) / PRIOR_WIDTH) ** 2);
    score[lag] = (sum / (n - lag)) * prior;
  }
  let best = minLag;
  for (let lag = minLag; lag <= maxLag; lag++) if (score[lag]! > score[best]!) best = lag;
  // A periodic track correlates as well at two beats as at one: prefer the beat when its lag
  // scores nearly as high (the metre, not every other beat).
  const half = Math.round(best / 2);
  if (
    half >= minLag &&
    Math.max(score[half]!, score[half - 1] ?? 0, score[half + 1] ?? 0) > 0.7 * score[best]!
  ) {
    best = [half - 1, half, half + 1].reduce(
      (a, b) => ((score[b] ?? -Infinity) > score[a]! ? b : a),
      half,
    );
  }
  // Parabolic refinement between neighbouring lags, for a tempo finer than one hop.
  const [a, b, c] = [score[best - 1] ?? 0, score[best]!, score[best + 1] ?? 0];
  const denominator = a - 2 * b + c;
  const shift =
    best > minLag && best < maxLag && denominator !== 0 ? (0.5 * (a - c)) / denominator : 0;
  const period = best + Math.max(-0.5, Math.min(0.5, shift));
  // Phase: the offset whose comb of beats collects the most onset energy.
  let bestPhase = 0;
  let bestEnergy = -Infinity;
  for (let phase = 0; phase < period; phase += 0.25) {
    let sum = 0;
    for (let t = phase; t < n - 1; t += period) {
      const i = Math.floor(t);
      const f = t - i;
      sum += envelope[i]! * (1 - f) + envelope[i + 1]! * f;
    }
    if (sum > bestEnergy) {
      bestEnergy = sum;
      bestPhase = phase;
    }
  }
  const duration = samples.length / rate;
  const beats: number[] = [];
  // Each beat of the comb settles on the strongest onset within ±3 hops (~35 ms), so a tempo
  // a fraction off does not drift away from the music over a long track.
  for (let t = bestPhase; t < n; t += period) {
    let at = t;
    let peak = mean;
    for (let i = Math.max(1, Math.round(t) - 3); i <= Math.min(n - 1, Math.round(t) + 3); i++) {
      if (envelope[i]! > peak) {
        peak = envelope[i]!;
        at = i;
      }
    }
    // The rise shows in the hop whose window first holds the onset: its window's end is near it.
    const seconds = (at * HOP + WINDOW * 0.75) / rate;
    if (seconds <= duration) beats.push(Math.round(seconds * 1000) / 1000);
  }
  return { bpm: Math.round((60 / (period * hopSeconds)) * 100) / 100, beats };
}

/**
 * Pure: each time moved to the nearest beat when one lies within `toleranceSeconds`, else kept.
 * For cut points and text entrances.
 */
export function snapToBeats(
  times: readonly number[],
  beats: readonly number[],
  toleranceSeconds: number,
): number[] {
  return times.map((time) => {
    let nearest = time;
    let distance = Infinity;
    for (const beat of beats) {
      const d = Math.abs(beat - time);
      if (d < distance) {
        distance = d;
        nearest = beat;
      }
    }
    return distance <= toleranceSeconds ? nearest : time;
  });
}

/** Decodes any audio file FFmpeg reads to mono float PCM at the analysis rate. */
export async function decodeMono(
  path: string,
  workDir: string,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const raw = join(workDir, 'beats.f32');
  await runFfmpeg(
    ['-y', '-i', path, '-vn', '-ac', '1', '-ar', String(ANALYSIS_RATE), '-f', 'f32le', raw],
    { signal },
  );
  const bytes = await readFile(raw);
  // A copy: a pooled Buffer's offset need not be a multiple of 4.
  const length = Math.floor(bytes.length / 4) * 4;
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + length));
}

/** The beat grid of a music file. */
export async function beatGridOf(
  path: string,
  workDir: string,
  signal?: AbortSignal,
): Promise<BeatGrid> {
  return findBeatGrid(await decodeMono(path, workDir, signal));
}

/**
 * A track's beats: those found when it was made, or (tracks made before they were kept) found
 * now. Music is analysed once per track, not once per render.
 */
export async function beatsOfTrack(
  track: { beats?: number[] | undefined } | undefined,
  path: string,
  workDir: string,
  signal?: AbortSignal,
  analyse: typeof beatGridOf = beatGridOf,
): Promise<number[]> {
  if (track?.beats) return track.beats;
  return (await analyse(path, workDir, signal)).beats;
}
