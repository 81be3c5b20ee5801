import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { ProductView } from '../../../core/options';
import type { ImageGenerator } from '../types';
import type { ProductBox } from '../../../core/session';
import { composeScene } from './draw/scene';
import { drawPhotoSet } from './draw/photo-set';
import { matchLight, silhouetteShadow } from './composite';
import { isProductKind } from './parse-prompt';
import { namesRepeatSet } from './photo-shot-prompts';
import { photoShotFor } from './photo-shots';
import type { PhotoShot } from './photo-shots';
import { createRandom, hashString } from './random';
import { offlineNotice, readSceneDirection } from './scene-direction';
import { DETAIL_FEATURES, LIFESTYLE_SETTINGS } from './shots';

/**
 * Offline image generator: draws the product as SVG on a styled set and renders it with sharp.
 * No model and no network; the same inputs give a byte-identical PNG.
 */

const MODEL = 'local/studio-image-v1';

/** PNG settings are fixed so the encoder, like the drawing, is deterministic. */
const PNG_OPTIONS = { compressionLevel: 6, adaptiveFiltering: false, palette: false } as const;

/** How much of the frame a cut-out product fills in each view (a close-up for details). */
const CUTOUT_FILL: Record<ProductView, number> = {
  front: 0.56,
  side: 0.56,
  back: 0.56,
  top: 0.62,
  detail: 0.78,
  lifestyle: 0.46,
};

/**
 * Reads an uploaded photo. A cutout (with transparency) is scaled to fill the share of the frame
 * its shot asks for; a plain photo is only shrunk when it does not fit the canvas.
 */
async function loadPhoto(path: string, width: number, height: number, cutoutFill: number) {
  const image = sharp(path).rotate();
  const meta = await image.metadata();
  const pw = meta.autoOrient.width;
  const ph = meta.autoOrient.height;
  const fill = meta.hasAlpha ? cutoutFill : 1;
  const box = { width: Math.round(width * fill), height: Math.round(height * fill) };
  const fits = pw <= box.width && ph <= box.height;
  const pipeline =
    fits && !meta.hasAlpha ? image : image.resize({ ...box, fit: 'inside', kernel: 'lanczos3' });
  const { data, info } = await pipeline.png().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, cutout: meta.hasAlpha };
}

/** The plan's second lifestyle or detail shot, told apart by the words the planner gave it. */
function isRepeatShot(prompt: string, kind: string, view: ProductView, seed: number): boolean {
  const features = isProductKind(kind) ? DETAIL_FEATURES[kind] : DETAIL_FEATURES.box;
  return (
    prompt.includes(LIFESTYLE_SETTINGS[1]!) ||
    prompt.includes(`close-up of the ${features[1]}`) ||
    namesRepeatSet(prompt, view, seed)
  );
}

/** Whether a photo is a cutout (has transparency): only a cutout is set into a scene. */
/** The product alone on a clear frame of the image's size (what fidelity compares), and its box. */
async function writeProductLayer(
  product: { png: Buffer; width: number; height: number },
  at: { left: number; top: number },
  width: number,
  height: number,
  outputPath: string,
): Promise<{ productLayerPath: string; productBox: ProductBox }> {
  const productLayerPath = `${outputPath}.product.png`;
  await sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([{ input: product.png, left: at.left, top: at.top }])
    .png()
    .toFile(productLayerPath);
  return {
    productLayerPath,
    productBox: {
      x: at.left / width,
      y: at.top / height,
      w: product.width / width,
      h: product.height / height,
    },
  };
}

async function isCutout(path: string): Promise<boolean> {
  return (await sharp(path).metadata()).hasAlpha;
}

export function createLocalImageGenerator(): ImageGenerator {
  return {
    async generateImage(input, ctx) {
      const { width, height, outputPath } = input;
      ctx?.signal?.throwIfAborted();
      if (input.productPhotoPath && (await isCutout(input.productPhotoPath))) {
        return photoShot({ ...input, productPhotoPath: input.productPhotoPath }, ctx);
      }
      const photo = input.productPhotoPath
        ? await loadPhoto(input.productPhotoPath, width, height, CUTOUT_FILL[input.view])
        : undefined;
      const scene = composeScene({
        view: input.view,
        prompt: input.prompt,
        seed: input.seed,
        style: input.style,
        product: input.product,
        width,
        height,
        photo: photo && { width: photo.width, height: photo.height },
      });
      ctx?.onProgress?.(0.3);
      let image = sharp(Buffer.from(scene.svg), { density: 72 }).resize(width, height, {
        fit: 'fill',
      });
      await mkdir(dirname(outputPath), { recursive: true });
      let placed: { productBox: ProductBox; productLayerPath: string } | undefined;
      if (photo && scene.photoAt) {
        // Composite on a flattened render so the photo's pixels land unchanged but for the mild
        // light match; the product is scaled and moved, never re-drawn or warped.
        const backdrop = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const at = scene.photoAt;
        // A photo without transparency (its own backdrop box) is pasted exactly as it is.
        const product = photo.cutout
          ? await matchLight(photo, backdrop.data, width, height, at)
          : { png: photo.data, width: photo.width, height: photo.height };
        const layers: OverlayOptions[] = [];
        if (scene.photoShadow && photo.cutout) {
          layers.push(...(await silhouetteShadow(product, at, scene.photoShadow, width, height)));
        }
        layers.push({ input: product.png, left: at.left, top: at.top });
        image = sharp(backdrop.data, { raw: { width, height, channels: 3 } }).composite(layers);
        placed = await writeProductLayer(product, at, width, height, outputPath);
      }
      ctx?.signal?.throwIfAborted();
      await image.removeAlpha().png(PNG_OPTIONS).toFile(outputPath);
      ctx?.onProgress?.(1);
      return {
        path: outputPath,
        mime: 'image/png',
        width,
        height,
        model: MODEL,
        costUsd: 0,
        ...placed,
      };
    },
  };
}

type GenerateInput = Parameters<ImageGenerator['generateImage']>[0];
type GenerateContext = Parameters<ImageGenerator['generateImage']>[1];

/**
 * One shot around a product cutout: a set, light, props and camera of its own (photo-shots.ts),
 * the cutout composited pixel for pixel with a shadow cast by its silhouette, and the product's
 * box recorded so the ad's text keeps off it.
 */
async function photoShot(
  input: GenerateInput & { productPhotoPath: string },
  ctx: GenerateContext,
) {
  const { width, height, outputPath } = input;
  const direction = readSceneDirection(input.prompt, input.product);
  const shot: PhotoShot = photoShotFor({
    view: input.view,
    repeat: isRepeatShot(input.prompt, input.product.kind, input.view, input.seed),
    seed: input.seed,
    prompt: input.prompt,
    direction,
  });
  const photo = await loadPhoto(input.productPhotoPath, width, height, shot.fill);
  const set = drawPhotoSet({
    shot,
    palette: input.style.palette,
    width,
    height,
    product: photo,
    random: createRandom(hashString(`${input.seed}|${input.view}|${input.prompt}|bokeh`)),
  });
  ctx?.onProgress?.(0.3);
  const backdrop = await sharp(Buffer.from(set.svg), { density: 72 })
    .resize(width, height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = set.at;
  const product = await matchLight(photo, backdrop.data, width, height, at);
  const shadow = await silhouetteShadow(
    product,
    at,
    { kind: 'contact', lightSide: shot.lightSide, dark: set.dark, reach: 1 - shot.lightHeight },
    width,
    height,
  );
  await mkdir(dirname(outputPath), { recursive: true });
  ctx?.signal?.throwIfAborted();
  await sharp(backdrop.data, { raw: { width, height, channels: 3 } })
    .composite([...shadow, { input: product.png, left: at.left, top: at.top }])
    .png(PNG_OPTIONS)
    .toFile(outputPath);
  const placed = await writeProductLayer(product, at, width, height, outputPath);
  ctx?.onProgress?.(1);
  return {
    path: outputPath,
    mime: 'image/png',
    width,
    height,
    model: MODEL,
    costUsd: 0,
    ...placed,
    shotName: shot.name,
    sceneNotice: offlineNotice(direction),
  };
}
