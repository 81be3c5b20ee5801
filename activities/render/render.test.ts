import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe, runFfmpeg } from '../media/ffmpeg';
import type { ProbeResult } from '../media/ffmpeg';
import { renderAd } from './render';
import type { RenderAdInput, RenderProgress } from './render';
import { TEST_CLIP_H264 } from '../../test/support/media';

let root: string;
const clips: string[] = [];
let music: string;

/** Short real clips in mixed sizes, aspect ratios and frame rates, so normalisation matters. */
const SOURCES = [
  'testsrc2=size=1280x720:rate=30',
  'testsrc2=size=1920x1080:rate=25',
  'mandelbrot=size=960x720:rate=30',
  'testsrc2=size=1920x1080:rate=30',
];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'render-test-'));
  await Promise.all(
    SOURCES.map(async (source, i) => {
      const path = join(root, `clip-${i}.mp4`);
      await runFfmpeg(['-f', 'lavfi', '-i', source, '-t', '3', ...TEST_CLIP_H264, path]);
      clips[i] = path;
    }),
  );
  music = join(root, 'music.m4a');
  await runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=15', '-c:a', 'aac', music]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function adInput(overrides: Partial<RenderAdInput>): RenderAdInput {
  return {
    clips: clips.slice(0, 3).map((path) => ({ path })),
    productName: 'AirRun Pro',
    callToAction: 'Shop now',
    tagline: null,
    colors: { primary: '#14213D', accent: '#FCA311', text: '#FFFFFF' },
    musicPath: music,
    outputPath: join(root, 'out.mp4'),
    ...overrides,
  };
}

/** Top-level MP4 box types in file order, read from the box headers. */
async function topLevelBoxes(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const header = Buffer.alloc(16);
    const types: string[] = [];
    let offset = 0;
    while (offset + 8 <= fileSize) {
      await handle.read(header, 0, 16, offset);
      let size = header.readUInt32BE(0);
      types.push(header.toString('latin1', 4, 8));
      if (size === 1) size = Number(header.readBigUInt64BE(8));
      else if (size === 0) size = fileSize - offset;
      if (size < 8) throw new Error(`Corrupt box at ${offset}`);
      offset += size;
    }
    return types;
  } finally {
    await handle.close();
  }
}

/** Live ffmpeg processes whose arguments mention the given path. */
async function ffmpegProcessesFor(path: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const argv = cmdline.split('\0');
    if (argv[0]?.endsWith('ffmpeg') && argv.some((arg) => arg.includes(path))) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

function expectDeliverable(probe: ProbeResult) {
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  expect(video?.codec_name).toBe('h264');
  expect(video?.pix_fmt).toBe('yuv420p');
  expect(video?.width).toBe(1920);
  expect(video?.height).toBe(1080);
  expect(video?.r_frame_rate).toBe('30/1');
  expect(video?.avg_frame_rate).toBe('30/1');
  expect(audio?.codec_name).toBe('aac');
  const duration = Number(probe.format.duration);
  expect(duration).toBeGreaterThanOrEqual(8);
  expect(duration).toBeLessThanOrEqual(12.05);
  return { video, audio, duration };
}

describe('renderAd', () => {
  it('renders a faststart 1080p30 ad with music and awkward text', async () => {
    // Every character the filter syntax cares about, in the temp path and in the text.
    const tempRoot = join(root, `tmp it's:a,dir[1];x\\y`);
    await mkdir(tempRoot);
    const progress: RenderProgress[] = [];
    const outputPath = join(root, 'with-music.mp4');
    const result = await renderAd(
      adInput({
        outputPath,
        productName: `Zap'Pro: "Ultra"\\`,
        callToAction: `It's 50% off: "now"\\\nUse code %{pts}`,
        tagline: 'Lighter; faster, [better]',
      }),
      { onProgress: (p) => progress.push(p), tempRoot },
    );

    const probe = await ffprobe(outputPath);
    const { video, duration } = expectDeliverable(probe);
    expect(Number(video?.nb_frames)).toBe(Math.round(duration * 30));
    expect(result).toMatchObject({ path: outputPath, width: 1920, height: 1080 });
    expect(result.durationSeconds).toBeCloseTo(duration, 3);
    expect(result.bytes).toBe((await stat(outputPath)).size);
    expect(result.bytes).toBeLessThan(15 * 1024 * 1024);

    const boxes = await topLevelBoxes(outputPath);
    expect(boxes).toContain('moov');
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));

    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.fraction).toBe(1);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);
    }
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('stretches a single clip to 8 s and adds a silent track without music', async () => {
    const outputPath = join(root, 'silent.mp4');
    const result = await renderAd(
      adInput({ outputPath, clips: [{ path: clips[1]! }], musicPath: null, tagline: 'Tag' }),
    );
    const { audio, duration } = expectDeliverable(await ffprobe(outputPath));
    expect(duration).toBeCloseTo(8, 1);
    expect(result.durationSeconds).toBeCloseTo(8, 1);
    expect(audio?.channels).toBe(2);
  });

  it('kills ffmpeg, cleans up and rejects when cancelled mid-render', async () => {
    const tempRoot = await mkdtemp(join(root, 'abort-'));
    const outputPath = join(root, 'aborted.mp4');
    const controller = new AbortController();
    let seen = 0;
    const rendering = renderAd(adInput({ outputPath, clips: clips.map((path) => ({ path })) }), {
      signal: controller.signal,
      tempRoot,
      // The first report proves ffmpeg is encoding; aborting there leaves most of the work undone.
      onProgress: (p) => {
        seen = Math.max(seen, p.fraction);
        controller.abort(new Error('cancelled by user'));
      },
    });
    await expect(rendering).rejects.toThrow('cancelled by user');
    expect(seen).toBeLessThan(1);
    expect(await ffmpegProcessesFor(outputPath)).toEqual([]);
    expect(await readdir(tempRoot)).toEqual([]);
    expect(existsSync(outputPath)).toBe(false);
  });

  it('rejects at once when already cancelled', async () => {
    const tempRoot = await mkdtemp(join(root, 'pre-abort-'));
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(
      renderAd(adInput({ outputPath: join(root, 'never.mp4') }), {
        signal: controller.signal,
        tempRoot,
      }),
    ).rejects.toThrow('too late');
    expect(await readdir(tempRoot)).toEqual([]);
  });
});
