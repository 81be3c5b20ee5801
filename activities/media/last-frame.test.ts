import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from './ffmpeg';
import { lastFrameArgs } from './last-frame';
import { TEST_CLIP_H264 } from '../../test/support/media';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'last-frame-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A clip that is red, then green, then (for its very last frame only) blue. */
async function clip(name: string, rate: number) {
  const path = join(root, name);
  const part = (colour: string, seconds: string) => [
    '-f',
    'lavfi',
    '-i',
    `color=c=${colour}:size=320x180:rate=${rate}:duration=${seconds}`,
  ];
  await runFfmpeg([
    ...part('red', '1.5'),
    ...part('lime', '1.2'),
    ...part('blue', String(1 / rate)),
    '-filter_complex',
    '[0:v][1:v][2:v]concat=n=3:v=1[v]',
    '-map',
    '[v]',
    ...TEST_CLIP_H264,
    path,
  ]);
  return path;
}

describe('lastFrameArgs', () => {
  it.each([30, 24])('writes the very last frame of a %i fps clip as a PNG', async (rate) => {
    const video = await clip(`clip-${rate}.mp4`, rate);
    const still = join(root, `last-${rate}.png`);
    await runFfmpeg(lastFrameArgs(video, still));
    const { data, info } = await sharp(still).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 320, height: 180 });
    const centre = (90 * 320 + 160) * info.channels;
    const [r, g, b] = [data[centre]!, data[centre + 1]!, data[centre + 2]!];
    expect(b).toBeGreaterThan(200);
    expect(r).toBeLessThan(60);
    expect(g).toBeLessThan(60);
  });
});
