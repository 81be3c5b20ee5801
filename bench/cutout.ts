import { mkdir } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { matte } from '../activities/providers/local/matte';
import { loadSaliencyModel, saliencyModelPaths } from '../activities/segmentation/model';
import { modelCutout } from '../activities/segmentation/pipeline';
import { EVAL_SET, edgeError, iou, photoBytes, photoPath, truthMask } from './cutout-set';

/**
 * `npm run bench:cutout`: the product cutout on the evaluation set of real photographs
 * (bench/cutout-set.ts). Per photo: IoU and edge error against the hand-drawn mask, for the model
 * and for the old backdrop flood fill, the quality gate's verdict against the expected one, and
 * the time per cutout (model already loaded) on this machine's cores.
 * Options: `--model <a.onnx>[,<b.onnx>]` measures other U²-Net-shaped models (one alone, or the
 * mean of several);
 * `--out <dir>` writes each cutout on magenta, beside the photo, to look at.
 */

const { values } = parseArgs({
  options: { model: { type: 'string' }, out: { type: 'string' } },
});
const modelFiles = values.model
  ? values.model.split(',').map((file) => resolve(file))
  : saliencyModelPaths();

const f = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

async function sideBySide(photo: Buffer, rgba: Buffer, width: number, height: number, out: string) {
  const cut = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  await sharp({
    create: { width: width * 2 + 8, height, channels: 3, background: '#ff00ff' },
  })
    .composite([
      { input: photo, left: 0, top: 0 },
      { input: cut, left: width + 8, top: 0 },
    ])
    .png()
    .toFile(out);
}

async function main() {
  const loadStarted = performance.now();
  const model = await loadSaliencyModel(modelFiles);
  const loadMs = performance.now() - loadStarted;
  if (values.out) await mkdir(values.out, { recursive: true });
  console.log(`models ${modelFiles.join(', ')}`);
  // The time per cutout depends on what else runs: the load average says how busy the cores were.
  const load = loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
  console.log(
    `loaded in ${loadMs.toFixed(0)} ms; ${availableParallelism()} cores, load average ${load}\n`,
  );
  const header = [
    'photo'.padEnd(16),
    'size'.padEnd(9),
    'IoU'.padStart(6),
    'edge px'.padStart(8),
    'flood IoU'.padStart(10),
    'ms'.padStart(6),
    'verdict'.padEnd(9),
    'expected'.padEnd(9),
  ].join(' ');
  console.log(header);
  console.log('-'.repeat(header.length));
  const ious: number[] = [];
  const times: number[] = [];
  let verdictsRight = 0;
  for (const photo of EVAL_SET) {
    if (!photoPath(photo)) {
      console.log(`${photo.name.padEnd(16)} missing: run "npm run setup"`);
      continue;
    }
    const png = await photoBytes(photo);
    const { data, info } = await sharp(png)
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const rgb = new Uint8Array(data);
    // Warm-up run first: onnxruntime's first run on a thread pays for its allocations.
    if (times.length === 0)
      await modelCutout(model, { data: rgb, width, height }, undefined, () => {});
    const started = performance.now();
    const made = await modelCutout(model, { data: rgb, width, height }, undefined, () => {});
    const ms = performance.now() - started;
    times.push(ms);
    const rgba = await sharp(png).ensureAlpha().raw().toBuffer();
    const flood = matte(rgba, width, height);
    let scores = { iou: NaN, edge: NaN, flood: NaN };
    if (photo.polygons) {
      const truth = await truthMask(photo, width, height);
      scores = {
        iou: iou(made.alpha, truth),
        edge: edgeError(made.alpha, truth, width, height),
        flood: iou(flood, truth),
      };
      ious.push(scores.iou);
    }
    const verdict = made.quality.verdict;
    if (verdict === photo.expect) verdictsRight++;
    console.log(
      [
        photo.name.padEnd(16),
        `${width}x${height}`.padEnd(9),
        f(scores.iou).padStart(6),
        f(scores.edge, 1).padStart(8),
        f(scores.flood).padStart(10),
        ms.toFixed(0).padStart(6),
        verdict.padEnd(9),
        photo.expect.padEnd(9),
      ].join(' '),
    );
    const m = made.quality.metrics;
    console.log(
      `${''.padEnd(17)}${made.quality.summary}\n${''.padEnd(17)}certainty ${f(m.certainty, 2)}, ` +
        `share ${f(m.productShare, 2)}, edge touch ${f(m.borderTouch, 2)}, pieces ${m.pieces}, ` +
        `peak ${f(m.peak, 2)}, flood agrees ${m.agreement === undefined ? 'n/a' : f(m.agreement, 2)}, ` +
        `models agree ${m.modelAgreement === undefined ? 'n/a' : f(m.modelAgreement, 2)}`,
    );
    if (values.out) {
      for (let i = 0; i < made.alpha.length; i++) rgba[i * 4 + 3] = made.alpha[i]!;
      await sideBySide(png, rgba, width, height, join(values.out, `${photo.name}.png`));
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  console.log(
    `\nmean IoU ${f(mean(ious))} over ${ious.length} photos with a hand-drawn mask; ` +
      `verdicts as expected ${verdictsRight}/${times.length}; ` +
      `mean ${mean(times).toFixed(0)} ms per cutout (max ${Math.max(...times).toFixed(0)} ms); ` +
      `load average now ${loadavg()[0]!.toFixed(1)}`,
  );
}

await main();
