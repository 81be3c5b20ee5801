import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/log';
import { FIDELITY_WARNING_BELOW, type AssetView, type ProductBox } from '../core/session';
import type { Db } from '../db/client';
import type { Storage } from '../storage';
import { fsStorageIn } from '../test/support/activities';
import { TEST_CLIP_H264 } from '../test/support/media';
import type { HeartbeatDetails } from './context';
import { createClipFinishingActivities } from './clip-finishing';
import { modelClipKey, productLayerKey } from './generation';
import type { FinishClipInput, ModelClip } from './inputs';
import { ffmpegPath, ffprobe } from './media/ffmpeg';
import { createLocalProviders } from './providers/local';

/**
 * The clip-finishing queue's activity on real FFmpeg and fs storage: a model's clip of its own
 * size, rate and length becomes the session's, the product is looked for in it, and what the
 * model cost stays with the clip, also when the finishing fails.
 */

const SESSION = 'session-finishing';
let dir: string;
let storage: Storage;
let finishing: ReturnType<typeof createClipFinishingActivities>;

/** A striped bottle on a transparent frame: the product as the still's layer holds it. */
const BOTTLE = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="240">
  <rect x="45" y="0" width="30" height="40" fill="#222"/>
  <rect x="15" y="35" width="90" height="200" rx="22" fill="#c0263a"/>
  <rect x="20" y="90" width="80" height="70" fill="#f7f3e8"/>
  <rect x="20" y="98" width="80" height="6" fill="#1d3f8a"/>
  <rect x="20" y="146" width="80" height="6" fill="#1d3f8a"/></svg>`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clip-finishing-'));
  storage = fsStorageIn(join(dir, 'storage'));
  finishing = createClipFinishingActivities({
    // Finishing a clip never touches the database.
    db: undefined as unknown as Db,
    storage,
    providers: createLocalProviders(),
    workDir: join(dir, 'work'),
    log: createLogger('clip-finishing-test', 'error'),
    publish: () => undefined,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the activity as a worker would, keeping its heartbeats. */
async function run(input: FinishClipInput) {
  const env = new MockActivityEnvironment();
  const beats: HeartbeatDetails[] = [];
  env.on('heartbeat', (details: HeartbeatDetails) => beats.push(details));
  const finish = (i: FinishClipInput) => finishing.finishClip(i);
  const result = await env.run<[FinishClipInput], AssetView, typeof finish>(finish, input);
  return { result, beats };
}

/**
 * A still (a gradient backdrop with the bottle at `box`) with its product layer stored, and a
 * "model's" clip of it: 1280x720 at 24 fps for 4 s, a slow push in, as seedance answers.
 */
async function modelClipOf(assetId: string, box: ProductBox): Promise<FinishClipInput> {
  const [width, height] = [1920, 1080];
  const bottle = await sharp(Buffer.from(BOTTLE))
    .resize(Math.round(box.w * width), Math.round(box.h * height), { fit: 'fill' })
    .png()
    .toBuffer();
  const at = { left: Math.round(box.x * width), top: Math.round(box.y * height) };
  const backdrop = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#6b8f71"/><stop offset="1" stop-color="#e8d9b5"/></linearGradient></defs>
      <rect width="${width}" height="${height}" fill="url(#g)"/></svg>`,
  );
  const still = join(dir, `${assetId}-still.png`);
  await sharp(backdrop)
    .composite([{ input: bottle, ...at }])
    .png()
    .toFile(still);
  const layer = join(dir, `${assetId}-layer.png`);
  await sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([{ input: bottle, ...at }])
    .png()
    .toFile(layer);
  const imageId = `${assetId}-image`;
  await storage.putFile(productLayerKey(SESSION, imageId), layer, 'image/png');

  const clip = join(dir, `${assetId}-model.mp4`);
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-y', '-loop', '1', '-framerate', '24', '-i', still, '-t', '4'],
    ...['-vf', 'scale=1280:720,zoompan=z=1+0.0005*on:d=1:s=1280x720:fps=24'],
    ...TEST_CLIP_H264,
    clip,
  ]);
  return finishInput(
    assetId,
    { id: imageId, type: 'image', status: 'ready', costUsd: 0.025, productBox: box },
    clip,
  );
}

async function finishInput(
  assetId: string,
  sourceImage: AssetView,
  modelFile: string,
): Promise<FinishClipInput> {
  const modelClip: ModelClip = {
    storageKey: modelClipKey(SESSION, assetId),
    mime: 'video/mp4',
    provider: 'replicate',
    model: 'bytedance/seedance-1-lite',
    costUsd: 0.108,
    generationMs: 41_000,
  };
  await storage.putFile(modelClip.storageKey, modelFile, 'video/mp4');
  return {
    sessionId: SESSION,
    assetId,
    sourceImage,
    motion: 'zoom_in',
    prompt: 'a slow push in',
    seed: 7,
    aspectRatio: '16:9',
    modelClip,
  };
}

describe('finishClip', () => {
  it("brings a model's clip to the session's format, finds the product and keeps its price", async () => {
    const box = { x: 0.42, y: 0.2, w: 0.12, h: 0.5 };
    const { result, beats } = await run(await modelClipOf('clip-a', box));

    expect(result).toMatchObject({
      id: 'clip-a',
      type: 'clip',
      status: 'ready',
      storageKey: `sessions/${SESSION}/clips/clip-a.mp4`,
      provider: 'replicate',
      model: 'bytedance/seedance-1-lite',
      costUsd: 0.108,
      width: 1920,
      height: 1080,
      motion: 'zoom_in',
      sourceImageId: 'clip-a-image',
    });
    expect(result.generationMs).toBeGreaterThan(41_000);
    // Cut to the session's 3 s, at its 30 fps, in the format the render expects.
    expect(result.durationSeconds).toBeCloseTo(3, 1);
    const probe = await ffprobe(join(dir, 'storage', result.storageKey!));
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      pix_fmt: 'yuv420p',
      width: 1920,
      height: 1080,
      r_frame_rate: '30/1',
    });
    // The product was found where the still had it, and looks like its layer.
    expect(result.fidelity).toBeGreaterThanOrEqual(FIDELITY_WARNING_BELOW);
    expect(result.fidelityWarning).toBe(false);
    expect(result.productBox!.x).toBeLessThanOrEqual(box.x + 0.02);
    expect(result.productBox!.x + result.productBox!.w).toBeGreaterThanOrEqual(
      box.x + box.w - 0.02,
    );
    // It heartbeat while it worked, and said when it was done.
    expect(beats.at(-1)?.fraction).toBe(1);
  });

  it('a clip of an image without a composited product is finished without a product check', async () => {
    const clip = join(dir, 'plain-model.mp4');
    execFileSync(ffmpegPath(), [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=16', '-t', '5'],
      ...TEST_CLIP_H264,
      clip,
    ]);
    const input = await finishInput(
      'clip-b',
      { id: 'plain-image', type: 'image', status: 'ready', costUsd: 0.025 },
      clip,
    );
    const { result } = await run({ ...input, aspectRatio: '9:16' });
    expect(result).toMatchObject({ width: 1080, height: 1920, costUsd: 0.108 });
    expect(result.fidelity).toBeUndefined();
    expect(result.durationSeconds).toBeCloseTo(3, 1);
  });

  it("a model's file FFmpeg cannot read fails the finishing, and the failure says what the clip cost", async () => {
    const broken = join(dir, 'broken.mp4');
    await writeFile(broken, Buffer.from('not a video at all'));
    const input = await finishInput(
      'clip-c',
      { id: 'plain-image', type: 'image', status: 'ready', costUsd: 0.025 },
      broken,
    );
    const failure = await run(input).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).details).toEqual([{ assetCostUsd: 0.108 }]);
    // Nothing half-made was stored as the clip.
    expect(await storage.head(`sessions/${SESSION}/clips/clip-c.mp4`)).toBeNull();
  });
});
