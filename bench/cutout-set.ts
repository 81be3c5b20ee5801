import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { CutoutVerdict } from '../core/cutout-quality';
import { ON, distanceTo, iou, outline } from '../activities/segmentation/mask-ops';

/**
 * The cutout's evaluation set: real photographs shipped inside PyPI wheels (fetched by the
 * bootstrap into .tools/photos, never committed) and ground-truth masks drawn by hand as polygons
 * (bench/cutout-truth/*.json). Used by `npm run bench:cutout` and the cutout tests.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

export function photosDir(): string {
  return process.env.CUTOUT_PHOTOS_DIR ?? join(root, '.tools', 'photos');
}

interface Truth {
  photo: string;
  licence: string;
  scene: string;
  product: string;
  expect: CutoutVerdict;
  polygons: Array<Array<[number, number]>>;
}

export interface EvalPhoto {
  name: string;
  file: string;
  scene: string;
  licence: string;
  /** The verdict the quality gate should give. */
  expect: CutoutVerdict;
  /** Hand-drawn polygons of the product (absent where there is no product to draw). */
  polygons?: Array<Array<[number, number]>> | undefined;
  /** A crop of the photo (a derived case: the same product, cut off by the frame). */
  crop?: { left: number; top: number; width: number; height: number } | undefined;
  /**
   * The IoU the tests hold the cutout to: a little under what it reaches today (bench/cutout.ts),
   * so a regression fails. Absent where the model is known to fail (see the README).
   */
  minIou?: number | undefined;
}

const truth = (name: string): Truth =>
  JSON.parse(readFileSync(join(here, 'cutout-truth', `${name}.json`), 'utf8')) as Truth;

function fromTruth(name: string, extra: Partial<EvalPhoto> = {}): EvalPhoto {
  const t = truth(name);
  return {
    name,
    file: t.photo,
    scene: t.scene,
    licence: t.licence,
    expect: t.expect,
    polygons: t.polygons,
    ...extra,
  };
}

export const EVAL_SET: EvalPhoto[] = [
  fromTruth('coffee', { minIou: 0.94 }),
  fromTruth('coffee', {
    name: 'coffee-cropped',
    scene: 'the espresso photo cropped so the saucer runs off the left and bottom edges',
    expect: 'doubtful',
    crop: { left: 120, top: 0, width: 480, height: 330 },
  }),
  fromTruth('motorcycle', { minIou: 0.79 }),
  fromTruth('flower', { minIou: 0.94 }),
  fromTruth('rocket'),
  {
    name: 'china',
    file: 'china.jpg',
    scene: 'a pagoda on a hillside over a lake: a landscape, no product',
    licence: 'CC BY 2.0 (photograph by danielbuechele on Flickr), from scikit-learn 1.9.1',
    expect: 'refused',
  },
  {
    name: 'grass',
    file: 'grass.png',
    scene: 'a lawn seen from above: a texture, nothing stands out',
    licence: 'CC0 (linolafett on DeviantArt), from scikit-image 0.26.0',
    expect: 'refused',
  },
  {
    name: 'coins',
    file: 'coins.png',
    scene: 'two dozen Greek coins on a grey ground: which one is the product?',
    licence: 'no known copyright restrictions (Brooklyn Museum), from scikit-image 0.26.0',
    expect: 'refused',
  },
  {
    name: 'chelsea',
    file: 'chelsea.png',
    scene: "a cat's head filling the frame: the subject runs off three edges",
    licence: 'CC0 (photograph by Stefan van der Walt), from scikit-image 0.26.0',
    expect: 'doubtful',
  },
  {
    name: 'astronaut',
    file: 'astronaut.png',
    scene: 'a portrait of an astronaut with a flag and a shuttle model: a person, cut off below',
    licence: 'public domain (NASA), from scikit-image 0.26.0',
    expect: 'doubtful',
  },
];

/** The photo's path (absent when the bootstrap has not fetched it). */
export function photoPath(photo: EvalPhoto): string | undefined {
  const path = join(photosDir(), photo.file);
  return existsSync(path) ? path : undefined;
}

/** The photo as a PNG buffer, cropped when the case is a crop. */
export async function photoBytes(photo: EvalPhoto): Promise<Buffer> {
  const path = photoPath(photo);
  if (!path) throw new Error(`${photo.file} is missing: run "npm run setup"`);
  const image = sharp(path);
  return (photo.crop ? image.extract(photo.crop) : image).png().toBuffer();
}

/** The hand-drawn mask (0/255) at the photo's (or the crop's) size. */
export async function truthMask(
  photo: EvalPhoto,
  width: number,
  height: number,
): Promise<Uint8Array> {
  if (!photo.polygons) throw new Error(`${photo.name} has no ground truth`);
  const dx = photo.crop?.left ?? 0;
  const dy = photo.crop?.top ?? 0;
  const paths = photo.polygons
    .map((p) => `M ${p.map(([x, y]) => `${x - dx} ${y - dy}`).join(' L ')} Z`)
    .join(' ');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/><path d="${paths}" fill="white" fill-rule="evenodd"/></svg>`;
  const grey = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
  return Uint8Array.from(grey.subarray(0, width * height), (v) => (v >= ON ? 255 : 0));
}

/**
 * Mean distance (pixels) between the outlines of two masks, both ways: how far the cutout's edge
 * lies from the hand-drawn one.
 */
export function edgeError(ours: Uint8Array, truth: Uint8Array, width: number, height: number) {
  const a = outline(ours, width, height);
  const b = outline(truth, width, height);
  if (a.length === 0 || b.length === 0) return Infinity;
  const toB = distanceTo(b, width, height);
  const toA = distanceTo(a, width, height);
  const mean = (points: number[], d: Float32Array) =>
    points.reduce((sum, i) => sum + d[i]!, 0) / points.length;
  return (mean(a, toB) + mean(b, toA)) / 2;
}

export { iou };
