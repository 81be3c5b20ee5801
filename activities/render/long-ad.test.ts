import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipsPerScene } from '../../core/ad-length';
import { CLIP_SECONDS } from '../../core/options';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import { renderAd } from './render';
import { TEST_CLIP_H264 } from '../../test/support/media';

/**
 * A 20 s ad from two scenes: the scenes' clips are chained (as the workflow plans them) and the
 * render fits clips and cards to exactly the chosen length.
 */
let root: string;
const clips: string[] = [];
let music: string;
const SECONDS = 20;
const counts = clipsPerScene(['hook', 'call_to_action'], SECONDS);
const total = counts.reduce((a, b) => a + b, 0);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'long-ad-test-'));
  for (let i = 0; i < total; i++) {
    const path = join(root, `clip-${i}.mp4`);
    await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=640x360:rate=30`,
      '-t',
      String(CLIP_SECONDS),
      ...TEST_CLIP_H264,
      path,
    ]);
    clips.push(path);
  }
  music = join(root, 'music.m4a');
  await runFfmpeg([
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=330:duration=${SECONDS}`,
    '-c:a',
    'aac',
    music,
  ]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a 20 s ad', () => {
  it('renders the chained clips to exactly 20 s of video and music', async () => {
    expect(total).toBeGreaterThan(2);
    const outputPath = join(root, 'ad.mp4');
    const result = await renderAd({
      clips: clips.map((path) => ({ path })),
      productName: 'Glow Runner',
      callToAction: 'Shop now',
      tagline: null,
      colors: { primary: '#14213D', accent: '#FCA311', text: '#FFFFFF' },
      musicPath: music,
      outputPath,
      width: 640,
      height: 360,
      durationSeconds: SECONDS,
    });
    const probe = await ffprobe(outputPath);
    const video = probe.streams.find((s) => s.codec_type === 'video');
    const audio = probe.streams.find((s) => s.codec_type === 'audio');
    expect(Number(video?.nb_frames)).toBe(SECONDS * 30);
    expect(Number(probe.format.duration)).toBeCloseTo(SECONDS, 1);
    expect(Number(audio?.duration)).toBeCloseTo(SECONDS, 1);
    expect(result.durationSeconds).toBeCloseTo(SECONDS, 1);
  });
});
