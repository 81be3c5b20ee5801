import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPath, ffprobe, runFfmpeg, type ProbeResult } from './ffmpeg';
import { isConformantClip, normaliseClip } from './clip-format';
import { TEST_CLIP_H264 } from '../../test/support/media';

/** What a model's clip needs to be for the session: 1080p at 30 fps, at most 3 s. */
const FORMAT = { width: 1920, height: 1080, fps: 30, maxSeconds: 3 };

const probeOf = (
  stream: Partial<ProbeResult['streams'][number]>,
  duration = '3.000',
): ProbeResult => ({
  format: { duration },
  streams: [
    {
      codec_type: 'video',
      codec_name: 'h264',
      pix_fmt: 'yuv420p',
      width: 1920,
      height: 1080,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30/1',
      avg_frame_rate: '30/1',
      ...stream,
    },
  ],
});

describe('isConformantClip', () => {
  it('takes an H.264 yuv420p clip of the session size, rate and length as it is', () => {
    expect(isConformantClip(probeOf({}), FORMAT)).toBe(true);
    // ffprobe's "unknown" aspect (0:1) is square pixels to every player.
    expect(isConformantClip(probeOf({ sample_aspect_ratio: '0:1' }), FORMAT)).toBe(true);
  });

  it.each([
    ['another codec', { codec_name: 'hevc' }],
    ['10-bit or full-range pixels', { pix_fmt: 'yuv420p10le' }],
    ['another size', { width: 1280, height: 720 }],
    ['non-square pixels', { sample_aspect_ratio: '4:3' }],
    ['another frame rate', { r_frame_rate: '24/1', avg_frame_rate: '24/1' }],
    ['NTSC 29.97', { r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001' }],
    ['a variable frame rate', { avg_frame_rate: '2997/100' }],
  ])('encodes again a clip with %s', (_, stream) => {
    expect(isConformantClip(probeOf(stream), FORMAT)).toBe(false);
  });

  it('encodes again a clip longer than the session allows, or of unknown length', () => {
    expect(isConformantClip(probeOf({}, '5.000'), FORMAT)).toBe(false);
    expect(isConformantClip(probeOf({ duration: undefined }, 'N/A'), FORMAT)).toBe(false);
  });
});

describe('normaliseClip', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'normalise-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A clip as a model might return it: moving test pattern, H.264, with a sound track. */
  const modelClip = async (name: string, size: string, rate: number) => {
    const path = join(dir, name);
    await runFfmpeg([
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=${rate}`,
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
      '-t',
      '3',
      ...TEST_CLIP_H264,
      '-c:a',
      'aac',
      path,
    ]);
    return path;
  };
  /** The video stream's packets, hashed: equal only when the stream was copied, not encoded. */
  const streamHash = (path: string) =>
    execFileSync(
      ffmpegPath(),
      ['-v', 'error', '-i', path, '-map', '0:v:0', '-c', 'copy', '-f', 'md5', '-'],
      {
        encoding: 'utf8',
      },
    ).trim();

  it('copies a conformant clip’s video as it is, and drops its sound', async () => {
    const input = await modelClip('conformant.mp4', '1920x1080', 30);
    const output = join(dir, 'conformant-out.mp4');
    const made = await normaliseClip(input, output, FORMAT);
    expect(streamHash(output)).toBe(streamHash(input));
    expect(made).toMatchObject({ width: 1920, height: 1080 });
    expect(made.durationSeconds).toBeCloseTo(3, 1);
    const probe = await ffprobe(output);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video']);
  });

  it('brings a 720p 24 fps clip to the session’s 1080p at 30 fps', async () => {
    const input = await modelClip('small.mp4', '1280x720', 24);
    const output = join(dir, 'small-out.mp4');
    const made = await normaliseClip(input, output, FORMAT);
    expect(streamHash(output)).not.toBe(streamHash(input));
    expect(made).toMatchObject({ width: 1920, height: 1080 });
    const [video] = (await ffprobe(output)).streams;
    expect([video?.codec_name, video?.pix_fmt, video?.r_frame_rate]).toEqual([
      'h264',
      'yuv420p',
      '30/1',
    ]);
  });
});
