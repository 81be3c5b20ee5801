import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log';
import { createFsStorage } from '../../storage/fs-storage';
import type { Storage } from '../../storage';
import { TEST_CLIP_H264 } from '../../test/support/media';
import { ffprobe, runFfmpeg, runFfmpegForLog } from '../media/ffmpeg';
import { storagePartCache } from './part-cache';
import type { PartCache } from './parts-render';
import { renderAd } from './render';
import type { RenderAdInput, RenderedAd } from './render';

/**
 * Re-renders in parts, on real FFmpeg: a changed call to action re-encodes only the last part and
 * leaves the other parts' frames bit for bit; an unchanged ad encodes nothing; a cache that fails
 * costs an encode, not the render. Small frames keep it to seconds.
 */

const WIDTH = 320;
const HEIGHT = 180;
const FPS = 30;
let root: string;
let storage: Storage;
const clips: string[] = [];
let music: string;
const log = createLogger('parts-render-test', 'error');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'parts-render-test-'));
  storage = createFsStorage({ root: join(root, 'store'), signingSecret: 's', urlPrefix: '/f' });
  await Promise.all(
    // Moving footage everywhere, so a frame out of place shows.
    ['testsrc2=size=320x180:rate=30', 'testsrc2=size=320x180:rate=30,hue=H=2*PI*t/3'].map(
      async (source, i) => {
        const path = join(root, `clip-${i}.mp4`);
        await runFfmpeg(['-f', 'lavfi', '-i', source, '-t', '3', ...TEST_CLIP_H264, path]);
        clips[i] = path;
      },
    ),
  );
  music = join(root, 'music.m4a');
  await runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=10', '-c:a', 'aac', music]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function adInput(name: string, overrides: Partial<RenderAdInput> = {}): RenderAdInput {
  return {
    clips: clips.map((path) => ({ path })),
    productName: 'AirRun Pro',
    callToAction: 'Shop now',
    tagline: 'Lighter. Faster.',
    colors: { primary: '#14213D', accent: '#FCA311', text: '#FFFFFF' },
    musicPath: music,
    outputPath: join(root, `${name}.mp4`),
    width: WIDTH,
    height: HEIGHT,
    ...overrides,
  };
}

/** One md5 per decoded frame of `[first, end)`. */
async function frameHashes(path: string, first: number, end: number): Promise<string[]> {
  const out = join(root, `frames-${Math.random().toString(36).slice(2)}.md5`);
  await runFfmpeg([
    ...['-i', `file:${path}`, '-map', '0:v:0'],
    ...['-vf', `trim=start_frame=${first}:end_frame=${end}`, '-f', 'framemd5', `file:${out}`],
  ]);
  const lines = (await readFile(out, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
  return lines.map((line) => line.split(',').at(-1)!.trim());
}

/** The lowest PSNR (dB) of any frame of `[first, end)` between two videos. */
async function minPsnr(a: string, b: string, first: number, end: number): Promise<number> {
  const range = `trim=start_frame=${first}:end_frame=${end},setpts=PTS-STARTPTS`;
  const log = await runFfmpegForLog([
    ...['-i', `file:${a}`, '-i', `file:${b}`],
    ...['-filter_complex', `[0:v]${range}[a];[1:v]${range}[b];[a][b]psnr`],
    ...['-f', 'null', '/dev/null'],
  ]);
  return Number(/PSNR .* min:([\d.]+|inf)/.exec(log)?.[1]?.replace('inf', 'Infinity'));
}

const encoded = (ad: RenderedAd) => ad.parts.map((part) => !part.reused);

async function expectPlayable(ad: RenderedAd) {
  const probe = await ffprobe(ad.path);
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  const frames = Math.round(ad.timeline.totalSeconds * FPS);
  expect(video).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: WIDTH });
  expect(video).toMatchObject({ height: HEIGHT, r_frame_rate: '30/1', avg_frame_rate: '30/1' });
  expect(Number(video?.nb_frames)).toBe(frames);
  expect(Math.abs(Number(probe.format.duration) - frames / FPS)).toBeLessThanOrEqual(1 / FPS);
  expect(audio).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
  expect(Math.abs(Number(audio?.duration) - frames / FPS)).toBeLessThanOrEqual(1 / FPS);
}

describe('renders in parts', () => {
  it('re-encodes only the last part when only the call to action changes', async () => {
    const cache = storagePartCache(storage, 'cta-session', log);
    const first = await renderAd(adInput('first'), { parts: cache });
    expect(first.parts.length).toBe(clips.length + 1);
    expect(encoded(first).every(Boolean)).toBe(true);
    await expectPlayable(first);

    const second = await renderAd(adInput('second', { callToAction: 'Buy today' }), {
      parts: cache,
    });
    expect(encoded(second)).toEqual(second.parts.map((_, i) => i === second.parts.length - 1));
    await expectPlayable(second);

    const last = second.parts.at(-1)!;
    const [kept, changed] = [0, last.firstFrame];
    expect(await frameHashes(second.path, kept, changed)).toEqual(
      await frameHashes(first.path, kept, changed),
    );
    const outro = [await frameHashes(first.path, changed, last.endFrame)];
    outro.push(await frameHashes(second.path, changed, last.endFrame));
    expect(outro[0]).toHaveLength(last.endFrame - last.firstFrame);
    expect(outro[1]).not.toEqual(outro[0]);
    // The part encoded alone sits exactly where it belongs: before the outro card comes in, its
    // frames match the first render's (a frame's shift in this footage drops PSNR to ~25 dB).
    const outroStart = Math.round(second.timeline.segments.at(-1)!.startSeconds * FPS);
    expect(await minPsnr(first.path, second.path, changed, outroStart)).toBeGreaterThan(35);
  });

  it('encodes nothing when nothing changed, and the ad is whole', async () => {
    const cache = storagePartCache(storage, 'same-session', log);
    const first = await renderAd(adInput('same-1', { musicPath: null }), { parts: cache });
    const again = await renderAd(adInput('same-2', { musicPath: null }), { parts: cache });
    expect(again.parts.map((part) => part.signature)).toEqual(
      first.parts.map((part) => part.signature),
    );
    expect(encoded(again).some(Boolean)).toBe(false);
    await expectPlayable(again);
    const end = Math.round(first.timeline.totalSeconds * FPS);
    expect(await frameHashes(again.path, 0, end)).toEqual(await frameHashes(first.path, 0, end));
  });

  it('encodes a part again when the cache fails to deliver it', async () => {
    const sessionId = 'faulty-session';
    const warm = storagePartCache(storage, sessionId, log);
    await renderAd(adInput('warm'), { parts: warm });
    // The store says it has every part, but the first read fails and the second part is cut short.
    let reads = 0;
    const faulty: Storage = {
      ...storage,
      async getToFile(key, path) {
        const read = ++reads;
        if (read === 1) throw new Error('connection reset');
        await storage.getToFile(key, path);
        if (read === 2) await writeFile(path, (await readFile(path)).subarray(0, 2000));
      },
    };
    const warnings: string[] = [];
    const cache: PartCache = storagePartCache(faulty, sessionId, {
      ...log,
      warn: (message) => warnings.push(message),
    });
    const ad = await renderAd(adInput('faulty'), { parts: cache });
    expect(encoded(ad).filter(Boolean)).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    await expectPlayable(ad);
  });
});
