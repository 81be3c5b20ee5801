import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CLIP_H264 } from '../../test/support/media';
import { ffmpegPath } from '../media/ffmpeg';
import { behindArgs, sampleBehind } from './behind-text';

/**
 * What the footage shows behind the lower third, read from real clips: the box's pixels only,
 * and each clip decoded once per process however often it is rendered.
 */
let dir: string;
const FRAME = { width: 320, height: 180 };
/** The bottom band of the frame: red above it, blue in it (the box). */
const BOX = { x: 0, y: 120, width: 320, height: 60 };

/** A 2 s clip, red above y=120 and blue below, its colours set by `blue`. */
function clip(name: string, blue: string) {
  const path = join(dir, name);
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=30:d=2'],
    ...['-f', 'lavfi', '-i', `color=c=${blue}:s=320x60:r=30:d=2`],
    ...['-filter_complex', '[0:v][1:v]overlay=x=0:y=120', ...TEST_CLIP_H264, path],
  ]);
  return { path, durationSeconds: 2 };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'behind-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sampleBehind', () => {
  it('reads the colours inside the box, not around it', async () => {
    const colours = await sampleBehind([clip('a.mp4', 'blue')], BOX, FRAME, dir);
    expect(colours.length).toBeGreaterThan(0);
    for (const colour of colours) {
      const [r, b] = [parseInt(colour.slice(1, 3), 16), parseInt(colour.slice(5, 7), 16)];
      expect(b, colour).toBeGreaterThan(200);
      expect(r, colour).toBeLessThan(40);
    }
  });

  it('does not decode a clip it has sampled before, wherever its copy lies', async () => {
    const first = await sampleBehind([clip('b.mp4', 'navy')], BOX, FRAME, dir);
    // The same bytes under another name (the next render's scratch folder). An aborted signal
    // stops any FFmpeg run at once, so only answers kept from the first sampling can come back.
    const copy = join(dir, 'b-copy.mp4');
    execFileSync('cp', [join(dir, 'b.mp4'), copy]);
    const again = await sampleBehind(
      [{ path: copy, durationSeconds: 2 }],
      BOX,
      FRAME,
      dir,
      AbortSignal.abort(),
    );
    expect(again).toEqual(first);
    // Other footage is sampled anew.
    await expect(
      sampleBehind([clip('c.mp4', 'teal')], BOX, FRAME, dir, AbortSignal.abort()),
    ).rejects.toThrow();
  });

  it('puts only numbers in the filter, and refuses a box that is not whole pixels', () => {
    const args = behindArgs(
      { path: 'in.mp4', durationSeconds: 3 },
      0.25,
      FRAME,
      {
        left: 0,
        top: 120,
        width: 320,
        height: 60,
      },
      'out.rgb',
    );
    expect(args).toContain('scale=320:180,format=rgb24,crop=320:60:0:120:exact=1');
    expect(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 2)).toEqual(['-ss', '0.750']);
    expect(() =>
      behindArgs(
        { path: 'in.mp4', durationSeconds: 3 },
        0.25,
        FRAME,
        {
          left: 0.5,
          top: 120,
          width: 320,
          height: 60,
        },
        'out.rgb',
      ),
    ).toThrow(/whole numbers/);
  });
});
