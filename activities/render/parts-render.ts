import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { hashFile } from '../../storage/hash';
import { ffmpegBuild, ffprobe, runFfmpeg } from '../media/ffmpeg';
import type { VideoGraph } from './args';
import { assembleArgs, concatList, encodePartsArgs } from './parts-args';
import { inputsOf, partSignature, partWindows } from './parts';
import type { PartWindow } from './parts';

/**
 * Encodes the ad's video in parts (parts.ts), reusing the cached parts whose signature is
 * unchanged, and assembles the MP4 from all of them by stream copy with the sound. I/O only: the
 * arguments come from parts-args.ts.
 */

/** Where encoded parts are kept between renders, by signature. */
export interface PartCache {
  /** Copies the part with this signature to `path`; false when there is none. */
  fetch(signature: string, path: string): Promise<boolean>;
  store(signature: string, path: string): Promise<void>;
}

export interface RenderedPart extends PartWindow {
  signature: string;
  /** Taken from the cache rather than encoded by this render. */
  reused: boolean;
}

export interface PartsRenderInput {
  graph: VideoGraph;
  audioPath: string | null;
  outputPath: string;
  workDir: string;
  cache?: PartCache | undefined;
  signal?: AbortSignal | undefined;
  /** Share of the frames to encode that are encoded (1 once the MP4 is written). */
  onProgress?: ((progress: { fraction: number; frame: number }) => void) | undefined;
}

export async function renderInParts(input: PartsRenderInput): Promise<RenderedPart[]> {
  const { graph, cache, signal } = input;
  const windows = partWindows(graph.timeline);
  const [hashes, build] = await Promise.all([contentHashes(graph), ffmpegBuild()]);
  const parts = windows.map((window) => ({
    ...window,
    signature: partSignature(graph, window, hashes, build),
    reused: false,
  }));
  // Named after the ad, so a process list shows which ad an encoder is working on.
  const dir = join(input.workDir, `${basename(input.outputPath, extname(input.outputPath))}-parts`);
  await mkdir(dir, { recursive: true });
  const fileOf = (index: number) => `part-${String(index).padStart(3, '0')}.ts`;

  if (cache) {
    await Promise.all(
      parts.map(async (part, index) => {
        part.reused = await fetchPart(cache, part, join(dir, fileOf(index)), signal);
      }),
    );
  }
  signal?.throwIfAborted();

  const missing = parts.flatMap((part, index) => (part.reused ? [] : [{ part, index }]));
  if (missing.length > 0) {
    const frames = missing.reduce((sum, { part }) => sum + part.endFrame - part.firstFrame, 0);
    // '%' is the muxer's own pattern character: one in the folder's name is written as '%%'.
    const pattern = join(dir.replaceAll('%', '%%'), 'new-%03d.ts');
    await runFfmpeg(
      encodePartsArgs(
        graph,
        missing.map(({ part }) => part),
        pattern,
      ),
      {
        signal,
        // The bar reaches 1 only once the MP4 is written, after the assembly.
        onProgress: (progress) => {
          if (progress.done) return;
          input.onProgress?.({
            fraction: Math.min(0.99, progress.frame / frames),
            frame: progress.frame,
          });
        },
      },
    );
    await Promise.all(
      missing.map(async ({ part, index }, k) => {
        const made = join(dir, `new-${String(k).padStart(3, '0')}.ts`);
        const counted = await countFrames(made, signal);
        if (counted !== part.endFrame - part.firstFrame) {
          throw new Error(
            `Part ${index} has ${counted} frames instead of ${part.endFrame - part.firstFrame}`,
          );
        }
        await rename(made, join(dir, fileOf(index)));
      }),
    );
  }

  const listPath = join(dir, 'parts.ffconcat');
  await writeFile(
    listPath,
    concatList(
      parts.map((part, index) => ({
        name: fileOf(index),
        frames: part.endFrame - part.firstFrame,
      })),
      graph.fps,
    ),
  );
  await Promise.all([
    runFfmpeg(
      assembleArgs({ listPath, audioPath: input.audioPath, graph, outputPath: input.outputPath }),
      { signal },
    ),
    ...(cache
      ? missing.map(({ part, index }) => cache.store(part.signature, join(dir, fileOf(index))))
      : []),
  ]);
  input.onProgress?.({ fraction: 1, frame: graph.totalFrames });
  return parts;
}

/** sha256 of every file a chain reads (the sound is not read by the video graph). */
async function contentHashes(graph: VideoGraph): Promise<string[]> {
  const hashes: string[] = [];
  await Promise.all(
    inputsOf(graph.chains).map(async (index) => {
      const path = graph.inputs[index];
      if (path === undefined) throw new Error(`The graph reads input ${index}, which is missing`);
      hashes[index] = (await hashFile(path)).sha256;
    }),
  );
  return hashes;
}

/**
 * A cached part, when the cache has it whole. A cache that fails or hands back a part with the
 * wrong number of frames costs an encode, never the render.
 */
async function fetchPart(
  cache: PartCache,
  part: RenderedPart,
  path: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  try {
    if (!(await cache.fetch(part.signature, path))) return false;
    if ((await countFrames(path, signal)) === part.endFrame - part.firstFrame) return true;
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  await rm(path, { force: true });
  return false;
}

async function countFrames(path: string, signal: AbortSignal | undefined): Promise<number> {
  const probe = await ffprobe(path, signal, { countPackets: true });
  const video = probe.streams.filter((stream) => stream.codec_type === 'video');
  if (video.length !== 1) return -1;
  return Number(video[0]!.nb_read_packets ?? -1);
}
