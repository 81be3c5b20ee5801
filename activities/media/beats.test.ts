import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUSIC_GENRES } from '../../core/options';
import { createLocalMusicGenerator } from '../providers/local/music';
import { ANALYSIS_RATE, beatGridOf, beatsOfTrack, findBeatGrid, snapToBeats } from './beats';

/** Clicks (short decaying noise bursts) at `bpm` from `offset` seconds, over a quiet hum. */
function clickTrack(bpm: number, offset: number, seconds: number): Float32Array {
  const samples = new Float32Array(Math.round(seconds * ANALYSIS_RATE));
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let i = 0; i < samples.length; i++)
    samples[i] = 0.05 * Math.sin((2 * Math.PI * 110 * i) / ANALYSIS_RATE);
  for (let t = offset; t < seconds; t += 60 / bpm) {
    const start = Math.round(t * ANALYSIS_RATE);
    for (let k = 0; k < 400 && start + k < samples.length; k++) {
      samples[start + k] = samples[start + k]! + 0.8 * noise() * Math.exp(-k / 80);
    }
  }
  return samples;
}

describe('findBeatGrid', () => {
  it.each([
    [96, 0.2],
    [128, 0.37],
    [150, 0.05],
  ])('finds %d BPM and beats on the clicks (first at %ds)', (bpm, offset) => {
    const grid = findBeatGrid(clickTrack(bpm, offset, 10));
    expect(Math.abs(grid.bpm - bpm)).toBeLessThan(1.5);
    const clicks = Array.from(
      { length: Math.floor((10 - offset) * (bpm / 60)) },
      (_, k) => offset + (k * 60) / bpm,
    );
    // Every click within 30 ms of a found beat.
    for (const click of clicks) {
      const nearest = Math.min(...grid.beats.map((b) => Math.abs(b - click)));
      expect(nearest, `click at ${click.toFixed(3)}`).toBeLessThan(0.03);
    }
  });
});

describe('snapToBeats', () => {
  it('moves times within the tolerance onto the nearest beat and keeps the others', () => {
    expect(snapToBeats([1.02, 1.6, 2.95], [0.5, 1, 1.5, 2, 2.5, 3], 0.08)).toEqual([1, 1.6, 3]);
  });
});

describe('beat grid of the generated music', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beats-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(MUSIC_GENRES)('matches the tempo the %s track was made at', async (genre) => {
    const track = await createLocalMusicGenerator().generateMusic({
      genre,
      durationSeconds: 10,
      seed: 3,
      outputPath: join(dir, `${genre}.m4a`),
    });
    const grid = await beatGridOf(track.path, dir);
    console.log(
      `beats ${genre}: made at ${track.bpm} BPM, found ${grid.bpm} BPM, ${grid.beats.length} beats`,
    );
    // A tempo twice or half the written one is the same grid at another level.
    const ratio = grid.bpm / track.bpm;
    const level = [0.5, 1, 2].find((r) => Math.abs(ratio / r - 1) < 0.03);
    expect(level, `found ${grid.bpm} for ${track.bpm}`).toBeDefined();
  });
});

describe('beatsOfTrack', () => {
  it('uses the beats a track was made with and decodes nothing', async () => {
    let analysed = 0;
    const analyse = () => {
      analysed += 1;
      return Promise.resolve({ bpm: 120, beats: [0.5, 1] });
    };
    const beats = await beatsOfTrack({ beats: [0.25, 0.75] }, 'music.m4a', '.', undefined, analyse);
    expect(beats).toEqual([0.25, 0.75]);
    expect(analysed).toBe(0);
  });

  it('analyses a track made before its beats were kept, once per call', async () => {
    let analysed = 0;
    const analyse = () => {
      analysed += 1;
      return Promise.resolve({ bpm: 120, beats: [0.5, 1] });
    };
    expect(await beatsOfTrack({}, 'music.m4a', '.', undefined, analyse)).toEqual([0.5, 1]);
    expect(analysed).toBe(1);
  });
});
