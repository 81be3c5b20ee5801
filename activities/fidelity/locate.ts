import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { ProductBox } from '../../core/session';
import { cleanMask, distanceTo, maskBox, outline, type Box } from '../segmentation/mask-ops';
import { MODEL_SIZE, type SaliencyModel } from '../segmentation/model';
import { decodePhoto } from '../segmentation/pipeline';
import { resizeMap } from '../segmentation/refine';
import { appearance } from './appearance';
import { clampBox } from './warp';

/**
 * Finds the product in a generated image with the cutout's own segmentation model, and scores
 * how faithfully it shows the cutout. The score multiplies two measures:
 * - shape: how well what the model sees as the product in the image overlaps the cutout's
 *   silhouette where it should be (IoU, ignoring a thin band along the outline). A cutout that
 *   carried background along is pasted with that background, which the model does not see as
 *   product: the overlap, and the score, fall.
 * - appearance: masked SSIM of the image against the cutout (ssim.ts): a re-drawn, re-coloured or
 *   warped product scores low.
 * - purity: how much of the cutout itself the model sees as product when it looks at the cutout
 *   alone, on white: a cutout that kept its photo's background (the whole rectangle, as
 *   the old flood fill left a busy photo) is pasted as one salient sticker, so the shape above
 *   still agrees, but on its own the model keeps only the product in it (0.47 of the espresso
 *   photo). A thin ring of table around the product is not caught this way (0.98 for a 40 px
 *   ring): the cutout's own quality gate is what judges the cutout. Measured once per cutout
 *   (cached by its bytes).
 * With a known placement (the local studio composites the cutout) the search looks around it;
 * otherwise (an edit model re-drew the scene) the whole image is searched, and the box the model
 * finds becomes the image's product box, which exports reframe around.
 */

export interface LocateJob {
  imagePath: string;
  cutoutPath: string;
  /** Where the cutout was composited, when the studio placed it itself. */
  placedBox?: ProductBox | undefined;
}

export interface Located {
  /** False when nothing in the image stands out as a product. */
  found: boolean;
  productBox: ProductBox;
  fidelity: number;
  shape: number;
  appearance: number;
  purity: number;
}

/** The shape comparison runs at this longest side (the map has 320 px of detail anyway). */
const SHAPE_SIDE = 480;
/** Around a known placement, the model looks this much further on every side. */
const SEARCH_MARGIN = 0.15;
/** Pixels this close to the expected outline (a share of the box's diagonal) do not count. */
const EDGE_BAND = 0.02;

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** The cutout's alpha resized into `box` of a `width` x `height` frame (0 elsewhere). */
async function placedAlpha(cutoutPath: string, box: Box, width: number, height: number) {
  const w = Math.max(1, box.width);
  const h = Math.max(1, box.height);
  const small = await sharp(cutoutPath)
    .ensureAlpha()
    .extractChannel(3)
    .resize(w, h, { fit: 'fill' })
    .raw()
    .toBuffer();
  const out = new Uint8Array(width * height);
  for (let y = 0; y < h; y++) {
    const fy = box.top + y;
    if (fy < 0 || fy >= height) continue;
    for (let x = 0; x < w; x++) {
      const fx = box.left + x;
      if (fx < 0 || fx >= width) continue;
      out[fy * width + fx] = small[y * w + x]!;
    }
  }
  return out;
}

/** IoU of two masks, ignoring pixels within `band` of the expected mask's outline. */
export function shapeAgreement(
  found: Uint8Array,
  expected: Uint8Array,
  width: number,
  height: number,
  band: number,
): number {
  const near = distanceTo(outline(expected, width, height), width, height);
  let both = 0;
  let either = 0;
  for (let i = 0; i < found.length; i++) {
    if (near[i]! <= band) continue;
    const f = found[i]! >= 128;
    const e = expected[i]! >= 128;
    if (f && e) both++;
    if (f || e) either++;
  }
  return either === 0 ? 0 : both / either;
}

/** The cutout's box fitted (aspect kept, centred) inside the box where the product was found. */
function fitInside(found: Box, cutout: { width: number; height: number }): Box {
  const scale = Math.min(found.width / cutout.width, found.height / cutout.height);
  const width = Math.round(cutout.width * scale);
  const height = Math.round(cutout.height * scale);
  return {
    left: Math.round(found.left + (found.width - width) / 2),
    top: Math.round(found.top + (found.height - height) / 2),
    width,
    height,
  };
}

/** Purity per cutout file content: every image of a session is made around the same cutout. */
const purities = new Map<string, number>();

/** Share of the cutout's opaque pixels (away from its outline) the model sees as product. */
export async function cutoutPurity(
  model: () => Promise<SaliencyModel>,
  cutoutPath: string,
): Promise<number> {
  const bytes = await readFile(cutoutPath);
  const key = createHash('sha256').update(bytes).digest('hex');
  const known = purities.get(key);
  if (known !== undefined) return known;
  const { data, info } = await sharp(bytes)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  // On white with a thin margin (5 %): with none, a plain product that fills its cutout leaves the
  // model nothing to tell apart; with a wide one (10 % on grey), the model takes the whole sticker
  // for the object, a picture in a frame. Measured on the espresso photo: clean 1.00, whole photo
  // 0.47. (sharp resizes before it extends, so the two steps are separate.)
  const margin = Math.max(1, Math.round(Math.max(width, height) * 0.05));
  const framedWidth = width + 2 * margin;
  const framedHeight = height + 2 * margin;
  const framed = await sharp(bytes)
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
  const input = await sharp(framed)
    .resize(MODEL_SIZE, MODEL_SIZE, { fit: 'fill', kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const { map } = await (await model()).predict(new Uint8Array(input));
  const seen = resizeMap(map, MODEL_SIZE, MODEL_SIZE, framedWidth, framedHeight);
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = data[i * 4 + 3]!;
  const near = distanceTo(outline(alpha, width, height), width, height);
  const band = Math.max(1.5, EDGE_BAND * Math.hypot(width, height));
  let opaque = 0;
  let product = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (alpha[i]! < 128 || near[i]! <= band) continue;
      opaque++;
      if (seen[(y + margin) * framedWidth + x + margin]! >= 0.5) product++;
    }
  }
  const purity = opaque === 0 ? 0 : product / opaque;
  purities.set(key, purity);
  return purity;
}

export async function locateProduct(
  model: () => Promise<SaliencyModel>,
  job: LocateJob,
): Promise<Located> {
  const image = await decodePhoto(job.imagePath, 4096, false);
  const { width, height } = image;
  const placed = job.placedBox && {
    left: Math.round(job.placedBox.x * width),
    top: Math.round(job.placedBox.y * height),
    width: Math.round(job.placedBox.w * width),
    height: Math.round(job.placedBox.h * height),
  };
  const search = placed
    ? clampBox(
        {
          left: placed.left - placed.width * SEARCH_MARGIN,
          top: placed.top - placed.height * SEARCH_MARGIN,
          width: placed.width * (1 + 2 * SEARCH_MARGIN),
          height: placed.height * (1 + 2 * SEARCH_MARGIN),
        },
        width,
        height,
      )
    : { left: 0, top: 0, width, height };
  const size = MODEL_SIZE;
  const input = await sharp(image.data, { raw: { width, height, channels: 3 } })
    .extract(search)
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const { map } = await (await model()).predict(new Uint8Array(input));

  // Shapes are compared in the search region, scaled to SHAPE_SIDE.
  const scale = Math.min(1, SHAPE_SIDE / Math.max(search.width, search.height));
  const sw = Math.max(1, Math.round(search.width * scale));
  const sh = Math.max(1, Math.round(search.height * scale));
  const coarse = resizeMap(map, size, size, sw, sh);
  const found = cleanMask(
    Uint8Array.from(coarse, (p) => (p >= 0.5 ? 255 : 0)),
    sw,
    sh,
    { minIsland: 0.05, maxHole: 0.01 },
  );
  const foundBox = maskBox(found, sw, sh);
  const cutoutMeta = await sharp(job.cutoutPath).metadata();
  const toFrame = (b: Box): Box => ({
    left: Math.round(search.left + b.left / scale),
    top: Math.round(search.top + b.top / scale),
    width: Math.round(b.width / scale),
    height: Math.round(b.height / scale),
  });
  let target: Box | undefined = placed;
  if (!target && foundBox.width > 0) {
    target = fitInside(toFrame(foundBox), { width: cutoutMeta.width, height: cutoutMeta.height });
  }
  if (!target) {
    return {
      found: false,
      productBox: { x: 0, y: 0, w: 0, h: 0 },
      fidelity: 0,
      shape: 0,
      appearance: 0,
      purity: 0,
    };
  }
  const inSearch: Box = {
    left: Math.round((target.left - search.left) * scale),
    top: Math.round((target.top - search.top) * scale),
    width: Math.round(target.width * scale),
    height: Math.round(target.height * scale),
  };
  const expected = await placedAlpha(job.cutoutPath, inSearch, sw, sh);
  const band = Math.max(1.5, EDGE_BAND * Math.hypot(inSearch.width, inSearch.height));
  const shape = shapeAgreement(found, expected, sw, sh, band);
  const look = await appearance(image, job.cutoutPath, target);
  const purity = await cutoutPurity(model, job.cutoutPath);
  // The box exports keep in frame: where the product was placed, or where the model found it.
  const box = placed ?? toFrame(foundBox);
  const inside = clampBox(box, width, height);
  return {
    found: foundBox.width > 0,
    productBox: {
      x: round(inside.left / width),
      y: round(inside.top / height),
      w: round(inside.width / width),
      h: round(inside.height / height),
    },
    fidelity: round(look * shape * purity),
    shape: round(shape),
    appearance: round(look),
    purity: round(purity),
  };
}
