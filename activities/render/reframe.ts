import type { ProductBox } from '../../core/session';

/**
 * Reframing a clip made at one aspect for an ad at another (16:9 clips in a 9:16 ad): a window of
 * the target's shape is cut around the product, as large as the source allows. When the product is
 * wider (or taller) than that window, the window grows to hold it with a margin and the part beyond
 * the source is filled with a blurred, enlarged copy of the clip, so nothing of the product is lost.
 * Pure: numbers in, filter text out.
 */

export interface Size {
  width: number;
  height: number;
}

/** A window in source pixels; it may reach beyond the source (that part is filled). */
export interface Window {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Room kept around the product inside the window, as a share of the product's size. */
const MARGIN = 0.06;

const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);
const evenDown = (v: number) => Math.max(2, Math.floor(v / 2) * 2);

export function planReframe(source: Size, target: Size, box?: ProductBox): Window {
  const aspect = target.width / target.height;
  let w = Math.min(source.width, source.height * aspect);
  let h = w / aspect;
  const product = box && {
    x: box.x * source.width,
    y: box.y * source.height,
    w: box.w * source.width,
    h: box.h * source.height,
  };
  if (product) {
    const grow = Math.max(
      1,
      (product.w * (1 + 2 * MARGIN)) / w,
      (product.h * (1 + 2 * MARGIN)) / h,
    );
    w *= grow;
    h *= grow;
  }
  w = even(w);
  h = even(h);
  const cx = product ? product.x + product.w / 2 : source.width / 2;
  const cy = product ? product.y + product.h / 2 : source.height / 2;
  /** Inside the source where it fits; centred on the source along an axis where it does not. */
  const place = (centre: number, size: number, limit: number) =>
    size <= limit
      ? Math.round(Math.min(limit - size, Math.max(0, centre - size / 2)))
      : Math.round((limit - size) / 2);
  return { x: place(cx, w, source.width), y: place(cy, h, source.height), w, h };
}

/**
 * The filter text that turns one clip stream into `target` frames through `window`. `tag` makes
 * the labels of the fill branch unique within the render graph. The result continues a chain: it
 * takes the chain's current stream and leaves one stream, with no label of its own at the end.
 */
export function reframeFilter(source: Size, target: Size, window: Window, tag: string): string {
  const inside =
    window.x >= 0 &&
    window.y >= 0 &&
    window.x + window.w <= source.width &&
    window.y + window.h <= source.height;
  if (inside) {
    return `crop=${window.w}:${window.h}:${window.x}:${window.y},scale=${target.width}:${target.height}:flags=lanczos`;
  }
  // The part of the window the source covers, and where it sits in the target frame.
  const x0 = Math.max(0, window.x);
  const y0 = Math.max(0, window.y);
  const cw = Math.min(source.width, window.x + window.w) - x0;
  const ch = Math.min(source.height, window.y + window.h) - y0;
  const scale = target.width / window.w;
  const fw = even(cw * scale);
  const fh = even(ch * scale);
  const ox = Math.round((x0 - window.x) * scale);
  const oy = Math.round((y0 - window.y) * scale);
  const blur = Math.max(2, Math.round(Math.min(target.width, target.height) / 40));
  return [
    `split=2[rf${tag}][rp${tag}]`,
    `[rf${tag}]scale=${target.width}:${target.height}:force_original_aspect_ratio=increase,crop=${target.width}:${target.height},boxblur=${blur}:2,eq=brightness=-0.06[rb${tag}]`,
    `[rp${tag}]crop=${evenDown(cw)}:${evenDown(ch)}:${x0}:${y0},scale=${fw}:${fh}:flags=lanczos[rs${tag}]`,
    `[rb${tag}][rs${tag}]overlay=${ox}:${oy}`,
  ].join(';');
}
