import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { ASPECT_RATIOS, CAMERA_MOVES } from '../../../core/options';
import { frameSize } from '../../../core/sizes';
import { ffprobe, runFfmpeg } from '../../media/ffmpeg';
import { buildClipArgs, createLocalClipGenerator, intensityFor } from './clip';
import { STUDIO_SUBJECT } from './clip-filters';
import { createLocalImageGenerator } from './image';
import { createLocalPlanner } from './planner';

const clips = createLocalClipGenerator();
let dir: string;
let still: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-clip-'));
  const plan = await createLocalPlanner().planShots({
    prompt: 'pink tennis shoes',
    count: 4,
    aspectRatio: '16:9',
  });
  const shot = plan.shots[1];
  still = (
    await createLocalImageGenerator().generateImage({
      prompt: shot?.prompt ?? '',
      view: 'side',
      seed: plan.seed,
      style: plan.style,
      product: plan.product,
      width: 1920,
      height: 1080,
      outputPath: join(dir, 'still.png'),
    })
  ).path;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = {
  imagePath: 'in.png',
  prompt: '',
  durationSeconds: 3,
  fps: 30,
  width: 1920,
  height: 1080,
  outputPath: 'out.mp4',
};

describe('buildClipArgs', () => {
  it('asks for an exact-length silent H.264 clip', () => {
    const args = buildClipArgs({ ...base, motion: 'zoom_in' });
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('-frames:v')).toBe('90');
    expect(value('-r')).toBe('30');
    expect(value('-c:v')).toBe('libx264');
    expect(value('-preset')).toBe('veryfast');
    expect(value('-pix_fmt')).toBe('yuv420p');
    expect(value('-i')).toBe('in.png');
    expect(args).toContain('-an');
    expect(args.at(-1)).toBe('out.mp4');
    expect(value('-filter_complex')).toContain('loop=loop=89:size=1');
  });

  it('builds a different graph per camera move, sized to the output', () => {
    const graphs = CAMERA_MOVES.map((motion) => {
      const args = buildClipArgs({ ...base, motion, width: 1280, height: 720 });
      return args[args.indexOf('-filter_complex') + 1] ?? '';
    });
    expect(new Set(graphs).size).toBe(CAMERA_MOVES.length);
    for (const graph of graphs) expect(graph).toMatch(/1280/);
    expect(graphs[4]).toContain('boxblur');
    expect(graphs[5]).toContain('rotate');
  });

  it('reads pace words from the prompt', () => {
    expect(intensityFor('slow elegant reveal')).toBeLessThan(1);
    expect(intensityFor('dynamic and bold')).toBeGreaterThan(1);
    expect(intensityFor('')).toBe(1);
    const slow = buildClipArgs({ ...base, motion: 'pan_left', prompt: 'slow' });
    const fast = buildClipArgs({ ...base, motion: 'pan_left', prompt: 'fast' });
    expect(slow).not.toEqual(fast);
  });
});

/** Mean absolute luma difference between the first and last frame. */
async function motionBetweenEnds(path: string): Promise<number> {
  const raw = join(dir, `${Math.random().toString(36).slice(2)}.gray`);
  await runFfmpeg([
    '-y',
    '-i',
    path,
    '-vf',
    'select=eq(n\\,0)+eq(n\\,89),scale=320:180',
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    raw,
  ]);
  const data = await readFile(raw);
  const size = 320 * 180;
  expect(data.length).toBe(size * 2);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += Math.abs((data[i] ?? 0) - (data[i + size] ?? 0));
  return sum / size;
}

describe('local clip generator', () => {
  it('renders a 3 s 1080p30 H.264 clip and reports progress', async () => {
    const progress: number[] = [];
    const out = await clips.generateClip(
      { ...base, imagePath: still, motion: 'zoom_in', seed: 1, outputPath: join(dir, 'zoom.mp4') },
      { onProgress: (f) => progress.push(f) },
    );
    expect(out).toMatchObject({
      width: 1920,
      height: 1080,
      durationSeconds: 3,
      model: 'local/camera-move-v1',
      costUsd: 0,
    });
    const probe = await ffprobe(out.path);
    expect(probe.streams).toHaveLength(1);
    const video = probe.streams[0];
    expect(video?.codec_name).toBe('h264');
    expect(video?.pix_fmt).toBe('yuv420p');
    expect([video?.width, video?.height]).toEqual([1920, 1080]);
    expect(video?.nb_frames).toBe('90');
    expect(Number(probe.format.duration)).toBeCloseTo(3, 1);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
  });

  it.each(CAMERA_MOVES)('%s moves the picture over time', async (motion) => {
    const out = await clips.generateClip({
      ...base,
      imagePath: still,
      motion,
      seed: 1,
      width: 640,
      height: 360,
      outputPath: join(dir, `${motion}.mp4`),
    });
    expect((await ffprobe(out.path)).streams[0]?.nb_frames).toBe('90');
    expect(await motionBetweenEnds(out.path)).toBeGreaterThan(1);
  });

  it('stops ffmpeg when aborted', async () => {
    const outputPath = join(dir, 'aborted.mp4');
    const controller = new AbortController();
    const run = clips.generateClip(
      { ...base, imagePath: still, motion: 'parallax', seed: 1, outputPath },
      { signal: controller.signal, onProgress: () => controller.abort(new Error('stop')) },
    );
    setTimeout(() => controller.abort(new Error('stop')), 300);
    await expect(run).rejects.toThrow('stop');
    const running = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(outputPath));
    expect(running).toEqual([]);
  });
});

describe('camera moves at every aspect', () => {
  /**
   * A flat grey set with a magenta block the size of the studio's widest product. At the first
   * and last frame of each move (the extremes of its travel) the block's sharp outline, where
   * pure magenta meets pure grey, must be whole: as wide and tall as the block at least, and
   * clear of the frame's edge. A blurred background copy (parallax) has no sharp outline.
   */
  async function subjectStill(width: number, height: number): Promise<string> {
    const path = join(dir, `subject-${width}x${height}.png`);
    const bw = Math.round(width * STUDIO_SUBJECT.halfWidth * 2);
    const bh = Math.round(height * STUDIO_SUBJECT.halfHeight * 2);
    await sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .composite([
        {
          input: { create: { width: bw, height: bh, channels: 3, background: '#ff00ff' } },
          left: Math.round((width - bw) / 2),
          top: Math.round((height - bh) / 2),
        },
      ])
      .png()
      .toFile(path);
    return path;
  }

  async function outline(video: string, which: 'first' | 'last') {
    const png = join(dir, `frame-${which}-${Math.random().toString(36).slice(2)}.png`);
    const seek = which === 'first' ? [] : ['-sseof', '-0.05'];
    await runFfmpeg([...seek, '-i', video, '-frames:v', '1', png]);
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => (y * info.width + x) * 3;
    const magenta = (o: number) => data[o]! > 200 && data[o + 1]! < 70 && data[o + 2]! > 200;
    const grey = (o: number) => [0, 1, 2].every((c) => Math.abs((data[o + c] ?? 0) - 128) < 30);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -1;
    let maxY = -1;
    for (let y = 3; y < info.height - 3; y++) {
      for (let x = 3; x < info.width - 3; x++) {
        if (!magenta(at(x, y))) continue;
        const edge =
          grey(at(x - 3, y)) || grey(at(x + 3, y)) || grey(at(x, y - 3)) || grey(at(x, y + 3));
        if (!edge) continue;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
    return { minX, minY, maxX, maxY, width: info.width, height: info.height };
  }

  for (const aspect of ASPECT_RATIOS) {
    it(`keeps the product whole in frame through every move at ${aspect}`, async () => {
      // A quarter of the delivery size: the moves are defined in fractions of the frame, so the
      // shape is what matters here, and small frames keep the 18 clips quick.
      const full = frameSize(aspect);
      const [width, height] = [full.width / 4, full.height / 4];
      const imagePath = await subjectStill(width, height);
      for (const motion of CAMERA_MOVES) {
        const outputPath = join(dir, `move-${motion}-${width}x${height}.mp4`);
        // Bold prompt words give the largest travel the moves allow.
        await clips.generateClip({
          imagePath,
          motion,
          prompt: 'dynamic bold',
          seed: 1,
          durationSeconds: 0.4,
          fps: 30,
          width,
          height,
          outputPath,
        });
        for (const which of ['first', 'last'] as const) {
          const box = await outline(outputPath, which);
          const label = `${motion} ${which} frame`;
          expect(box.minX, label).toBeGreaterThan(width * 0.01);
          expect(box.minY, label).toBeGreaterThan(height * 0.01);
          expect(box.maxX, label).toBeLessThan(width * 0.99);
          expect(box.maxY, label).toBeLessThan(height * 0.99);
          expect(box.maxX - box.minX, label).toBeGreaterThan(
            width * STUDIO_SUBJECT.halfWidth * 1.9,
          );
          expect(box.maxY - box.minY, label).toBeGreaterThan(
            height * STUDIO_SUBJECT.halfHeight * 1.9,
          );
        }
      }
    });
  }
});
