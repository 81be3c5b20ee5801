import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ffprobe } from '../activities/media/ffmpeg';
import { createLogger } from '../core/log';
import type { SessionState } from '../core/session';
import type { Stage } from '../core/stages';
import { slug } from '../core/text';
import { createDb } from '../db/client';
import { createStorage, uploadKey } from '../storage';
import { sniffImage } from '../api/images';
import { startFakeReplicate } from './replicate-fake/server';
import { parseDemoArgs } from './lib/demo-args';
import { frameSheet, imageSheet } from './lib/frame-sheet';
import { VOICE_LANGUAGES } from '../core/voices';
import { AD_SECONDS } from '../core/options';
import { loadWorkerConfig } from '../worker/config';
import { startWorkers } from '../worker/workers';
import { startSession, waitForState } from '../workflows/client';
import { actionUpdates } from '../workflows/messages';
import { freePorts } from './lib/ports';
import { startDatabase, startTemporal } from './lib/services';
import { loadStackConfig } from './lib/stack-config';

/**
 * `npm run demo -- "pink tennis shoes"`: one whole session without a browser. It approves four
 * images and every clip, composes with music, and prints the video's path, duration, size, cost
 * and the time each stage took. It runs its own PostgreSQL and Temporal in a temp folder unless
 * DATABASE_URL and TEMPORAL_ADDRESS point at running ones.
 */
const root = resolve(import.meta.dirname, '..');
const args = parseDemoArgs(process.argv.slice(2));
const prompt = args.prompt;
const say = (line: string) => console.log(`demo    | ${line}`);

/** What the demo started, stopped last-started first: on its end, an error, or a signal. */
const stops: Array<() => Promise<unknown>> = [];
let stopping: Promise<void> | undefined;
let signalled = false;
function stopAll() {
  stopping ??= (async () => {
    for (let stop = stops.pop(); stop; stop = stops.pop()) await stop().catch(() => undefined);
  })();
  return stopping;
}
// Ctrl-C, or a signal to `npm run demo`: its PostgreSQL and Temporal (each in a process group of
// its own) stop too, instead of outliving it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    signalled = true;
    say(`stopping (${signal})`);
    void stopAll().then(() => process.exit(130));
  });
}

async function main() {
  const scratch = await mkdtemp(join(tmpdir(), 'studio-demo-'));
  await chmod(scratch, 0o755);
  stops.push(() => rm(scratch, { recursive: true, force: true }));
  try {
    const [pgPort, temporalPort, uiPort] = await freePorts(3);
    const stack = loadStackConfig({
      ...process.env,
      DATA_DIR: scratch,
      PG_PORT: String(pgPort),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
    });
    const database = await startDatabase(stack, say);
    stops.push(database.stop);
    const temporal = await startTemporal(stack, say);
    stops.push(temporal.stop);

    // --provider replicate: a real Replicate with REPLICATE_API_TOKEN, else the local server.
    let replicateEnv: Record<string, string> = {};
    if (args.provider === 'replicate' && !process.env.REPLICATE_API_TOKEN) {
      const fake = await startFakeReplicate({ workDir: join(scratch, 'replicate') });
      stops.push(() => fake.close());
      say(`no REPLICATE_API_TOKEN: using the local Replicate server at ${fake.baseUrl}`);
      replicateEnv = {
        REPLICATE_API_TOKEN: fake.token,
        REPLICATE_BASE_URL: fake.baseUrl,
        REPLICATE_POLL_MIN_MS: '250',
        REPLICATE_POLL_MAX_MS: '1000',
      };
    } else if (args.provider === 'replicate') {
      say('using Replicate with REPLICATE_API_TOKEN (real models, real charges)');
    }
    const config = loadWorkerConfig({
      ...process.env,
      ...replicateEnv,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      STORAGE_DRIVER: 'fs',
      STORAGE_DIR: join(scratch, 'storage'),
      WORK_DIR: join(scratch, 'work'),
      LOG_LEVEL: 'warn',
    });
    const workers = await startWorkers(config, createLogger('worker', 'warn'));
    stops.push(workers.shutdown);

    const db = createDb(database.url, { max: 1 });
    const user = await db.user.findUniqueOrThrow({ where: { email: stack.DEMO_USER_EMAIL } });
    await db.$disconnect();

    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const client = new Client({ connection });
    const sessionId = `session-${randomUUID()}`;
    say(`"${prompt}" → session ${sessionId} (${args.provider}, ${args.tier}, ${args.aspect})`);
    const productPhotoKey = args.photo
      ? await storePhoto(createStorage(config), user.id, args.photo)
      : undefined;
    const started = Date.now();
    const handle = await startSession(client, config.TEMPORAL_TASK_QUEUE, {
      sessionId,
      userId: user.id,
      title: prompt,
      productPrompt: prompt,
      productPhotoKey,
      options: {
        imageCount: 6,
        aspectRatio: args.aspect,
        budgetUsd: 5,
        tier: args.tier,
        provider: args.provider,
        // The API's default length, so a voiceover fits as it would in the studio.
        durationSeconds: args.durationSeconds ?? AD_SECONDS.default,
      },
      renderTaskQueue: config.TEMPORAL_RENDER_TASK_QUEUE,
    });

    const stageStarted = new Map<Stage, number>();
    const watch = {
      onChange: (s: SessionState) =>
        stageStarted.has(s.stage) || stageStarted.set(s.stage, Date.now()),
    };
    const reach = async (stage: Stage) => {
      const state = await waitForState(handle, (s) => s.stage === stage || s.stage === 'failed', {
        timeoutMs: 600_000,
        ...watch,
      });
      if (state.stage === 'failed')
        throw new Error(`The session failed: ${JSON.stringify(state.lastError)}`);
      return state;
    };

    const images = await reach('awaiting_image_approval');
    say(`${images.images.length} images ready; approving the first four`);
    for (const image of images.images) {
      say(`  image ${image.id.slice(0, 8)}: ${image.shotName ?? image.view ?? ''}`);
    }
    if (args.imageSheet) {
      const storage = createStorage(config);
      const paths: string[] = [];
      for (const image of images.images.filter((i) => i.storageKey)) {
        const path = join(scratch, `image-${paths.length}.png`);
        await storage.getToFile(image.storageKey!, path);
        paths.push(path);
      }
      await imageSheet(paths, args.imageSheet);
      say(`images sheet: ${args.imageSheet}`);
    }
    await handle.executeUpdate(actionUpdates.approveImages, {
      args: [
        {
          imageIds: images.images.slice(0, 4).map((i) => i.id),
          videoPrompt: 'slow camera moves, soft light',
        },
      ],
    });
    const clips = await reach('awaiting_clip_approval');
    say(`${clips.clips.length} clips ready; approving all of them`);
    await handle.executeUpdate(actionUpdates.approveClips, {
      args: [{ clipIds: clips.clips.map((c) => c.id) }],
    });
    await reach('awaiting_composition');
    const product = clips.product;
    const palette = clips.style?.palette ?? [];
    // --voice "…": that script; --voice planner: the one the planner wrote with the scenes.
    const script = args.voice === 'planner' ? clips.voiceover?.script : args.voice;
    if (args.voice !== undefined && !script) throw new Error('The planner wrote no voiceover.');
    await handle.executeUpdate(actionUpdates.compose, {
      args: [
        {
          productName: args.name ?? titleCase(product?.name ?? prompt),
          callToAction: args.cta ?? 'Shop now',
          tagline: product ? `${titleCase(product.colourName)} ${product.material}` : undefined,
          colors: {
            primary: palette[1] ?? '#1d1d1f',
            accent: product?.colourHex ?? '#ff5fa2',
            text: '#ffffff',
          },
          music: { enabled: true, genre: 'upbeat' },
          ...(script
            ? {
                voice: {
                  enabled: true,
                  script,
                  ...(args.voiceId ? { voiceId: args.voiceId } : {}),
                },
              }
            : {}),
        },
      ],
    });
    const done = await reach('completed');
    const totalMs = Date.now() - started;

    const final = done.final!;
    const outDir = join(root, 'data', 'demo');
    await mkdir(outDir, { recursive: true });
    const output = join(outDir, `${slug(prompt)}-${sessionId.slice(-8)}.mp4`);
    const storage = createStorage(config);
    await storage.getToFile(final.storageKey!, join(scratch, 'final.mp4'));
    await copyFile(join(scratch, 'final.mp4'), output);
    const probe = await ffprobe(output);

    const order = [...stageStarted.entries()].sort((a, b) => a[1] - b[1]);
    console.log(`\n  Video      ${output}`);
    console.log(`  Duration   ${Number(probe.format.duration).toFixed(2)} s`);
    console.log(`  Size       ${(Number(probe.format.size) / 1024 / 1024).toFixed(2)} MB`);
    console.log(
      `  Cost       $${done.costs.totalUsd.toFixed(2)} (${done.options.provider} provider)`,
    );
    const loudness = final.loudness;
    if (loudness) {
      console.log(
        `  Loudness   ${loudness.integratedLufs} LUFS integrated, true peak ${loudness.truePeakDbtp} dBTP` +
          (loudness.voiceToMusicDb === null
            ? ''
            : `; voice ${loudness.voiceToMusicDb} LU over the music, which ducks ${loudness.duckingDb} LU`),
      );
    }
    const voice = done.voice;
    if (voice && done.composition?.voice?.enabled) {
      console.log(
        `  Voice      ${voice.voiceId} (${VOICE_LANGUAGES[voice.language ?? 'en'].name}), ${voice.model}, $${voice.costUsd.toFixed(4)}`,
      );
      for (const cue of voice.cues ?? []) {
        console.log(
          `    ${cue.startSeconds.toFixed(2).padStart(5)}–${cue.endSeconds.toFixed(2).padStart(5)} s  ${cue.text}`,
        );
      }
      if (final.captionKeys) {
        for (const ext of ['srt', 'vtt'] as const) {
          const sidecar = output.replace(/\.mp4$/, `.${ext}`);
          await storage.getToFile(final.captionKeys[ext], sidecar);
          console.log(`  Captions   ${sidecar}`);
        }
      }
    }
    if (args.sheet) {
      const cues = voice?.cues ?? [];
      const moments = cues.length
        ? cues.map((c) => (c.startSeconds + c.endSeconds) / 2)
        : [0.8, 3, 5.5, Number(probe.format.duration) - 0.3];
      await frameSheet(output, moments, args.sheet);
      console.log(
        `  Frames     ${args.sheet} (at ${moments.map((m) => m.toFixed(2)).join(', ')} s)`,
      );
    }
    const scored = [...done.images, ...done.clips].filter((a) => a.fidelity !== undefined);
    if (scored.length > 0) {
      const lowest = scored.reduce((a, b) => (b.fidelity! < a.fidelity! ? b : a));
      console.log(
        `  Fidelity   lowest ${lowest.fidelity!.toFixed(4)} (${lowest.type} ${lowest.view ?? lowest.motion ?? lowest.id}) over ${scored.length} images and clips` +
          (scored.some((a) => a.fidelityWarning) ? '; some drifted from the photo' : ''),
      );
    } else if (args.photo) {
      console.log('  Fidelity   not measured (this provider re-draws the product)');
    }
    const predictions = await countPredictions(database.url, sessionId);
    if (predictions.total > 0) {
      console.log(
        `  Predictions ${predictions.total} made for ${predictions.jobs} jobs (${predictions.models})`,
      );
    }
    console.log(
      `  Total      ${(totalMs / 1000).toFixed(1)} s\n  Stages                     time     cost`,
    );
    order.forEach(([stage, at], index) => {
      const next = order[index + 1]?.[1] ?? started + totalMs;
      const cost = done.costs.byStage[stage];
      if (stage !== 'completed')
        console.log(
          `    ${stage.padEnd(26)} ${`${((next - at) / 1000).toFixed(1)} s`.padStart(7)}` +
            (cost === undefined ? '' : `  $${cost.toFixed(4)}`),
        );
    });
    console.log('');
  } finally {
    await stopAll();
  }
}

const titleCase = (text: string) => text.replace(/\b\w/g, (c) => c.toUpperCase());

/** Puts a photo where the upload route would, for the session to use. */
async function storePhoto(storage: ReturnType<typeof createStorage>, userId: string, path: string) {
  const bytes = await readFile(path);
  const kind = sniffImage(bytes);
  if (!kind) throw new Error(`${path} is not a PNG, JPEG or WebP image`);
  const key = uploadKey(userId, randomUUID(), kind.type === 'jpeg' ? 'jpg' : kind.type);
  await storage.putFile(key, path, kind.mime);
  return key;
}

async function countPredictions(databaseUrl: string, sessionId: string) {
  const db = createDb(databaseUrl, { max: 1 });
  try {
    const rows = await db.prediction.findMany({ where: { sessionId } });
    const models = [...new Set(rows.map((r) => r.model.split(':')[0]))].join(', ');
    return {
      total: rows.length,
      jobs: new Set(rows.map((r) => `${r.assetId}:${r.purpose}`)).size,
      models,
    };
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  // Stopped by a signal: what failed was only waiting on what the signal stopped.
  if (signalled) return;
  // A refused update carries the workflow's own reason (e.g. a voiceover too long) as its cause.
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
});
