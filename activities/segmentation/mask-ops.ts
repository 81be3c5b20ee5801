/**
 * Pure operations on masks (one byte per pixel, row by row): connected regions, holes, boxes and
 * overlap. A pixel is "in" the mask when its value is at least `ON` (half opaque).
 */

export const ON = 128;

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Labels the 4-connected regions of pixels for which `inside(i)` holds. Returns a label per
 * pixel (0 = outside, 1.. = region) and each region's size, indexed by label.
 */
export function labelRegions(
  width: number,
  height: number,
  inside: (i: number) => boolean,
): { labels: Int32Array; sizes: number[] } {
  const n = width * height;
  const member = new Uint8Array(n);
  for (let i = 0; i < n; i++) member[i] = inside(i) ? 1 : 0;
  const labels = new Int32Array(n);
  const sizes = [0];
  const stack = new Int32Array(n);
  for (let start = 0; start < n; start++) {
    if (labels[start] !== 0 || member[start] === 0) continue;
    const label = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const x = p % width;
      // Unrolled neighbours: this runs for every pixel of every mask, so no closures here.
      let q = p - 1;
      if (x > 0 && labels[q] === 0 && member[q] === 1) {
        labels[q] = label;
        stack[top++] = q;
      }
      q = p + 1;
      if (x < width - 1 && labels[q] === 0 && member[q] === 1) {
        labels[q] = label;
        stack[top++] = q;
      }
      q = p - width;
      if (q >= 0 && labels[q] === 0 && member[q] === 1) {
        labels[q] = label;
        stack[top++] = q;
      }
      q = p + width;
      if (q < n && labels[q] === 0 && member[q] === 1) {
        labels[q] = label;
        stack[top++] = q;
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** Pixels in the mask. */
export function countOn(mask: Uint8Array): number {
  let n = 0;
  for (const v of mask) if (v >= ON) n++;
  return n;
}

/**
 * Removes specks and fills torn holes: regions of the mask smaller than `minIsland` of the
 * largest region go, unless a pixel of them is in `keep`; holes (background regions that do not
 * reach the border) smaller than `maxHole` of the product's area are filled. Real openings (a
 * cup's handle, the space between spokes) are larger than a torn hole and stay open.
 */
export function cleanMask(
  alpha: Uint8Array,
  width: number,
  height: number,
  options: { minIsland: number; maxHole: number; keep?: Uint8Array | undefined },
): Uint8Array {
  const out = Uint8Array.from(alpha);
  const fg = labelRegions(width, height, (i) => out[i]! >= ON);
  const largest = Math.max(0, ...fg.sizes.slice(1));
  const kept = new Uint8Array(fg.sizes.length);
  for (let l = 1; l < fg.sizes.length; l++)
    kept[l] = fg.sizes[l]! >= largest * options.minIsland ? 1 : 0;
  if (options.keep) {
    for (let i = 0; i < out.length; i++)
      if (options.keep[i] && fg.labels[i]) kept[fg.labels[i]!] = 1;
  }
  for (let i = 0; i < out.length; i++) {
    const l = fg.labels[i]!;
    if (l && !kept[l]) out[i] = 0;
  }
  const area = countOn(out);
  const bg = labelRegions(width, height, (i) => out[i]! < ON);
  const touches = new Uint8Array(bg.sizes.length);
  for (let x = 0; x < width; x++) {
    touches[bg.labels[x]!] = 1;
    touches[bg.labels[(height - 1) * width + x]!] = 1;
  }
  for (let y = 0; y < height; y++) {
    touches[bg.labels[y * width]!] = 1;
    touches[bg.labels[y * width + width - 1]!] = 1;
  }
  for (let i = 0; i < out.length; i++) {
    const l = bg.labels[i]!;
    if (l && !touches[l] && bg.sizes[l]! < area * options.maxHole) out[i] = 255;
  }
  return out;
}

/** The smallest box holding every pixel in the mask; width 0 when the mask is empty. */
export function maskBox(mask: Uint8Array, width: number, height: number): Box {
  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]! < ON) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  if (right < 0) return { left: 0, top: 0, width: 0, height: 0 };
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** Intersection over union of two masks of the same size (1 when both are empty). */
export function iou(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! >= ON;
    const y = b[i]! >= ON;
    if (x && y) both++;
    if (x || y) either++;
  }
  return either === 0 ? 1 : both / either;
}

/** Nearest-neighbour resize of a mask (for comparing masks made at different sizes). */
export function resizeMask(
  mask: Uint8Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Uint8Array {
  const out = new Uint8Array(toWidth * toHeight);
  for (let y = 0; y < toHeight; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / toHeight));
    for (let x = 0; x < toWidth; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / toWidth));
      out[y * toWidth + x] = mask[sy * width + sx]!;
    }
  }
  return out;
}

/**
 * The mask's outline: in-mask pixels with a 4-neighbour outside it (or on the frame's edge).
 * Returns their indices.
 */
export function outline(mask: Uint8Array, width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i]! < ON) continue;
      const edge =
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        mask[i - 1]! < ON ||
        mask[i + 1]! < ON ||
        mask[i - width]! < ON ||
        mask[i + width]! < ON;
      if (edge) out.push(i);
    }
  }
  return out;
}

/**
 * Distance (in pixels) from every pixel to the nearest pixel of `seeds`, by a two-pass chamfer
 * transform (3-4 weights, divided by 3): close to Euclidean, linear time.
 */
export function distanceTo(seeds: number[], width: number, height: number): Float32Array {
  const inf = 1e9;
  const d = new Float32Array(width * height).fill(inf);
  for (const s of seeds) d[s] = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let v = d[i]!;
      if (x > 0) v = Math.min(v, d[i - 1]! + 3);
      if (y > 0) {
        v = Math.min(v, d[i - width]! + 3);
        if (x > 0) v = Math.min(v, d[i - width - 1]! + 4);
        if (x < width - 1) v = Math.min(v, d[i - width + 1]! + 4);
      }
      d[i] = v;
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      let v = d[i]!;
      if (x < width - 1) v = Math.min(v, d[i + 1]! + 3);
      if (y < height - 1) {
        v = Math.min(v, d[i + width]! + 3);
        if (x < width - 1) v = Math.min(v, d[i + width + 1]! + 4);
        if (x > 0) v = Math.min(v, d[i + width - 1]! + 4);
      }
      d[i] = v;
    }
  }
  for (let i = 0; i < d.length; i++) d[i] = d[i]! / 3;
  return d;
}
