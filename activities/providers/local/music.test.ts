import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MusicGenre } from '../../../core/options';
import { ffprobe, runFfmpeg } from '../../media/ffmpeg';
import { createLocalMusicGenerator } from './music';
import { synthesize } from './synth/synth';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-music-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Tempo from the PCM: onset strength (rise in 10 ms energy) autocorrelated over beat-sized
 * lags; the strongest lag is the beat period.
 */
function estimateBpm(samples: Float32Array, sampleRate: number): number {
  const hop = Math.round(sampleRate / 100);
  const energy: number[] = [];
  for (let i = 0; i + hop <= samples.length; i += hop) {
    let e = 0;
    for (let j = i; j < i + hop; j++) e += (samples[j] ?? 0) ** 2;
    energy.push(e);
  }
  const onset = energy.map((e, i) => Math.max(0, e - (energy[i - 1] ?? 0)));
  let bestLag = 0;
  let best = -1;
  for (let lag = 40; lag <= 100; lag++) {
    let sum = 0;
    for (let i = lag; i < onset.length; i++) sum += (onset[i] ?? 0) * (onset[i - lag] ?? 0);
    if (sum > best) {
      best = sum;
      bestLag = lag;
    }
  }
  return 6000 / bestLag;
}

describe('synthesize', () => {
  it.each([
    ['upbeat', 120],
    ['cinematic', 90],
    ['electronic', 128],
    ['acoustic', 100],
    ['ambient', 70],
  ] as Array<[MusicGenre, number]>)('%s plays at %d bpm', (genre, bpm) => {
    const track = synthesize({ genre, seed: 5, durationSeconds: 12 });
    expect(track.bpm).toBe(bpm);
    expect(track.left.length).toBe(12 * 44100);
    const measured = estimateBpm(track.left, track.sampleRate);
    // Autocorrelation may lock onto the beat, half of it or twice it; the grid must match.
    const ratios = [measured / bpm, (measured * 2) / bpm, measured / 2 / bpm];
    expect(ratios.some((r) => Math.abs(r - 1) < 0.04)).toBe(true);
  });

  it('is deterministic per seed', () => {
    const a = synthesize({ genre: 'upbeat', seed: 9, durationSeconds: 12 });
    const b = synthesize({ genre: 'upbeat', seed: 9, durationSeconds: 12 });
    const c = synthesize({ genre: 'upbeat', seed: 10, durationSeconds: 12 });
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(c.left.buffer))).toBe(false);
  });
});

describe('local music generator', () => {
  it('writes an AAC track of the requested length that is not silent', async () => {
    const outputPath = join(dir, 'track.m4a');
    const result = await createLocalMusicGenerator().generateMusic({
      genre: 'electronic',
      durationSeconds: 10,
      seed: 3,
      outputPath,
    });
    expect(result).toMatchObject({
      path: outputPath,
      bpm: 128,
      durationSeconds: 10,
      model: 'local/synth-v1',
      costUsd: 0,
    });
    const probe = await ffprobe(outputPath);
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(audio?.codec_name).toBe('aac');
    expect(audio?.sample_rate).toBe('44100');
    expect(audio?.channels).toBe(2);
    expect(Math.abs(Number(probe.format.duration) - 10)).toBeLessThan(0.1);

    const pcmPath = join(dir, 'track.f32');
    await runFfmpeg(['-y', '-i', outputPath, '-ac', '1', '-f', 'f32le', pcmPath]);
    const pcm = new Float32Array(new Uint8Array(await readFile(pcmPath)).buffer);
    let sum = 0;
    for (const v of pcm) sum += v * v;
    expect(Math.sqrt(sum / pcm.length)).toBeGreaterThan(0.05);
  });
});
