import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createRenderQueueActivities, createStudioQueueActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { createLocalProviders } from '../activities/providers/local';
import { createLogger } from '../core/log';
import type { AssetView } from '../core/session';
import { defaultVoice } from '../core/voices';
import type { Db } from '../db/client';
import { createStorage, uploadKey } from '../storage';
import { reapedChildrenCpuSeconds } from '../scripts/lib/measure';

/**
 * What one session costs the studio, step by step: the local studio's activities of the journey
 * `npm run load` drives (4 images, 2 approved, their clips, 12 s of music, a voiceover, the
 * render, and an export in a second format), called directly, one after another, so each step's
 * CPU seconds (this process and its FFmpeg children) are its own. The sum bounds the throughput
 * of a CPU-bound studio: cores x 60 / CPU seconds a session = sessions a minute at best.
 * Prints figures; asserts nothing.
 *
 *   npm run bench:session [-- runs] [--photo .tools/photos/coffee.png]
 */

const args = process.argv.slice(2);
const photoAt = args.indexOf('--photo');
/** A product photo (e.g. .tools/photos/coffee.png): the session is made around its cutout. */
const PHOTO = photoAt >= 0 ? args[photoAt + 1] : undefined;
const RUNS = Math.max(1, Number(args.find((a) => /^\d+$/.test(a)) ?? 2) || 2);

interface Step {
  name: string;
  wall: number[];
  cpu: number[];
}

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'bench-session-'));
  const deps: ActivityDeps = {
    // Generation and render activities never touch the database (the workflow's bookkeeping does).
    db: undefined as unknown as Db,
    storage: createStorage({
      STORAGE_DRIVER: 'fs',
      STORAGE_DIR: join(root, 'storage'),
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: false,
    }),
    providers: createLocalProviders(),
    workDir: join(root, 'work'),
    log: createLogger('bench-session', 'error'),
    publish: () => undefined,
  };
  const acts = { ...createStudioQueueActivities(deps), ...createRenderQueueActivities(deps) };
  const steps = new Map<string, Step>();
  const measure = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const wall0 = performance.now();
    const cpu0 = cpuSeconds();
    // Each call runs as a worker runs it: inside an activity context (heartbeats, cancellation).
    const result = (await new MockActivityEnvironment().run(work)) as T;
    const step = steps.get(name) ?? { name, wall: [], cpu: [] };
    step.wall.push((performance.now() - wall0) / 1000);
    step.cpu.push(cpuSeconds() - cpu0);
    steps.set(name, step);
    return result;
  };
  try {
    console.log(
      `cpus=${availableParallelism()} load=${formatLoad()} runs=${RUNS}${PHOTO ? ` photo=${PHOTO}` : ''}`,
    );
    for (let run = 0; run < RUNS; run++) {
      const sessionId = `bench-${run}`;
      let cutout: AssetView | undefined;
      if (PHOTO) {
        const photoKey = uploadKey('bench-user', sessionId, 'png');
        await deps.storage.putFile(photoKey, PHOTO, 'image/png');
        cutout = await measure('cutoutProductPhoto', () =>
          acts.cutoutProductPhoto({ sessionId, assetId: 'cutout', photoKey }),
        );
      }
      const plan = await measure('planShots', () =>
        acts.planShots({
          sessionId,
          prompt: 'pink tennis shoes',
          count: 4,
          aspectRatio: '16:9',
          seed: 7 + run,
          hasPhoto: PHOTO !== undefined,
        }),
      );
      const images: AssetView[] = [];
      for (const [index, shot] of plan.shots.entries()) {
        images.push(
          await measure('generateImage', () =>
            acts.generateImage({
              sessionId,
              assetId: `image-${index}`,
              prompt: shot.prompt,
              view: shot.view,
              seed: plan.seed,
              style: plan.style,
              product: plan.product,
              aspectRatio: '16:9',
              productPhotoKey: cutout?.storageKey,
            }),
          ),
        );
      }
      const approved = images.slice(0, 2);
      const scenes = await measure('planScenes', () =>
        acts.planScenes({
          sessionId,
          videoPrompt: 'slow camera moves, soft light',
          product: plan.product,
          style: plan.style,
          images: approved.map((i) => ({ id: i.id, view: i.view ?? 'front', prompt: '' })),
        }),
      );
      const clips: AssetView[] = [];
      for (const [index, scene] of scenes.scenes.entries()) {
        const source = approved.find((i) => i.id === scene.imageId)!;
        clips.push(
          await measure('generateClip', () =>
            acts.generateClip({
              sessionId,
              assetId: `clip-${index}`,
              sourceImage: source,
              motion: scene.motion,
              prompt: scene.prompt,
              seed: index,
              aspectRatio: '16:9',
              style: plan.style,
            }),
          ),
        );
      }
      const music = await measure('generateMusic', () =>
        acts.generateMusic({
          sessionId,
          assetId: 'music',
          genre: 'upbeat',
          durationSeconds: 12,
          seed: 7,
        }),
      );
      const voiceId = defaultVoice('en', 'local').id;
      const script = scenes.voiceover?.script ?? 'Meet Aero Pink. Light on your feet. Shop now.';
      const voice = await measure('generateVoice', () =>
        acts.generateVoice({
          sessionId,
          assetId: 'voice',
          script,
          voiceId,
          language: 'en',
          durationSeconds: 12,
        }),
      );
      const composition = {
        productName: 'Aero Pink',
        callToAction: 'Shop now',
        colors: { primary: '#1d1d1f', accent: '#ff5fa2', text: '#ffffff' },
        music: { enabled: true, genre: 'upbeat' as const },
        voice: { enabled: true, script, voiceId, language: 'en' as const },
      };
      for (const [name, targetAspect] of [
        ['renderVideo', undefined],
        ['renderVideo (9:16 export)', '9:16'],
      ] as const) {
        await measure(name, () =>
          acts.renderVideo({
            sessionId,
            assetId: `final-${name.length}`,
            clips,
            music,
            voice,
            composition,
            aspectRatio: '16:9',
            ...(targetAspect ? { targetAspect } : {}),
            beatSnapSeconds: 0.25,
          }),
        );
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    console.log('');
    console.log(
      `${'step'.padEnd(28)} ${'calls'.padStart(5)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)}`,
    );
    let sessionCpu = 0;
    let sessionWall = 0;
    for (const step of steps.values()) {
      const calls = step.cpu.length / RUNS;
      // Per session: the median call times the calls a session makes.
      const cpu = median(step.cpu) * calls;
      const wall = median(step.wall) * calls;
      sessionCpu += cpu;
      sessionWall += wall;
      console.log(
        `${step.name.padEnd(28)} ${String(calls).padStart(5)} ${wall.toFixed(2).padStart(8)} ${cpu.toFixed(2).padStart(8)}`,
      );
    }
    console.log(
      `${'one session'.padEnd(28)} ${''.padStart(5)} ${sessionWall.toFixed(2).padStart(8)} ${sessionCpu.toFixed(2).padStart(8)}`,
    );
    const cores = availableParallelism();
    console.log(
      `\nCPU-bound ceiling on ${cores} cores: ${((cores * 60) / sessionCpu).toFixed(2)} sessions a minute (cores x 60 / ${sessionCpu.toFixed(1)} CPU s), before the studio's own services take their share`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** CPU seconds of this process and of its children that have ended (FFmpeg, the voice). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + reapedChildrenCpuSeconds();
}

function formatLoad() {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join('/');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
