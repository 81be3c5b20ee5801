import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CameraMove } from '../../../core/options';
import { CLIP_VIDEO_OUTPUT } from '../../media/encoders';
import { runFfmpeg } from '../../media/ffmpeg';
import type { ProductBox } from '../../../core/session';
import type { ClipGenerator, ProductFrame } from '../types';
import { buildFilterGraph, stillToFrame, subjectAround } from './clip-filters';
import type { MoveSpec } from './clip-filters';

/**
 * Offline clip generator: animates an approved still with a camera move rendered by FFmpeg.
 * No model involved; the output is a silent H.264 clip of exactly duration x fps frames.
 */

const MODEL = 'local/camera-move-v1';

export interface ClipArgsInput {
  imagePath: string;
  motion: CameraMove;
  prompt: string;
  durationSeconds: number;
  fps: number;
  width: number;
  height: number;
  outputPath: string;
  product?: { layerPath: string; box: ProductBox } | undefined;
}

/** Moves that would veil (light band) or feather (parallax mask) the product get its layer on top. */
const LAYERED: ReadonlySet<CameraMove> = new Set(['parallax', 'light_sweep']);

function moveSpec(input: ClipArgsInput): MoveSpec {
  return {
    motion: input.motion,
    width: input.width,
    height: input.height,
    fps: input.fps,
    frames: frameCount(input.durationSeconds, input.fps),
    intensity: intensityFor(input.prompt),
    subject: input.product ? subjectAround(input.product.box) : undefined,
    productLayer: input.product !== undefined && LAYERED.has(input.motion),
  };
}

/** Pure: the frames the fidelity check samples (start, middle, end) and where the product is. */
export function productFrames(input: ClipArgsInput): ProductFrame[] {
  const spec = moveSpec(input);
  const last = spec.frames - 1;
  return [...new Set([0, Math.round(last / 2), last])].map((frame) => ({
    frame,
    placement: stillToFrame(spec, frame),
  }));
}

/** Prompt words make the move gentler or bolder, the way a director's note would. */
export function intensityFor(prompt: string): number {
  const text = prompt.toLowerCase();
  if (/\b(slow|gentle|subtle|calm|soft)\b/.test(text)) return 0.7;
  if (/\b(dynamic|fast|energetic|bold|punchy)\b/.test(text)) return 1.35;
  return 1;
}

export function frameCount(durationSeconds: number, fps: number): number {
  return Math.max(1, Math.round(durationSeconds * fps));
}

/** Pure: the full ffmpeg argument list for one clip (without runFfmpeg's own logging flags). */
export function buildClipArgs(input: ClipArgsInput): string[] {
  const spec = moveSpec(input);
  const frames = spec.frames;
  const graph = buildFilterGraph(spec);
  return [
    '-y',
    '-i',
    input.imagePath,
    ...(spec.productLayer && input.product ? ['-i', input.product.layerPath] : []),
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-frames:v',
    String(frames),
    '-r',
    String(input.fps),
    '-an',
    ...CLIP_VIDEO_OUTPUT,
    input.outputPath,
  ];
}

export function createLocalClipGenerator(): ClipGenerator {
  return {
    async generateClip(input, ctx) {
      await mkdir(dirname(input.outputPath), { recursive: true });
      const frames = frameCount(input.durationSeconds, input.fps);
      const duration = frames / input.fps;
      await runFfmpeg(buildClipArgs(input), {
        signal: ctx?.signal,
        onProgress: (p) => ctx?.onProgress?.(p.done ? 1 : Math.min(1, p.outTimeSeconds / duration)),
      });
      return {
        path: input.outputPath,
        mime: 'video/mp4',
        width: input.width,
        height: input.height,
        durationSeconds: duration,
        productFrames: input.product ? productFrames(input) : undefined,
        model: MODEL,
        costUsd: 0,
      };
    },
  };
}
