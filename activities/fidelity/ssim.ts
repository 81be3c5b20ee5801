/**
 * Masked SSIM between the product as it appears in a picture and the product cutout, pure.
 *
 * The reference is the cutout blended over the observed picture with its own alpha: what the
 * picture would show had the cutout been pasted in unchanged. Windows at the product's rim then
 * compare like with like (the backdrop is the same in both), and only pixels the cutout covers
 * count. SSIM runs on Y, Cb and Cr (weighted 0.8 / 0.1 / 0.1), so a re-coloured product scores low
 * even when its shape survives.
 */

/** An RGB(A) picture: `channels` bytes per pixel, row by row. */
export interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

const RADIUS = 3; // 7 x 7 windows
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;
/** Pixels at least this opaque in the cutout are product. */
const PRODUCT_ALPHA = 128;
const WEIGHTS = [0.8, 0.1, 0.1] as const;

function toYcc(r: number, g: number, b: number): [number, number, number] {
  return [
    0.299 * r + 0.587 * g + 0.114 * b,
    128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
    128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
  ];
}

/** Summed-area table of a plane (one extra row and column of zeros). */
function integral(plane: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += plane[y * w + x]!;
      out[(y + 1) * (w + 1) + x + 1] = out[y * (w + 1) + x + 1]! + row;
    }
  }
  return out;
}

function boxSum(t: Float64Array, w: number, x0: number, y0: number, x1: number, y1: number) {
  const s = w + 1;
  return t[y1 * s + x1]! - t[y0 * s + x1]! - t[y1 * s + x0]! + t[y0 * s + x0]!;
}

/**
 * Mean SSIM over the cutout's opaque pixels. `picture` (RGB or RGBA) and `cutout` (RGBA) have the
 * same size: the region of the picture where the cutout should be. Returns 0..1 (negative local
 * SSIM counts as 0); 0 when the cutout has no opaque pixel.
 */
export function maskedSsim(picture: Pixels, cutout: Pixels): number {
  const { width: w, height: h } = cutout;
  if (picture.width !== w || picture.height !== h || cutout.channels !== 4) {
    throw new Error('maskedSsim needs a picture region and an RGBA cutout of the same size');
  }
  const n = w * h;
  const planes = Array.from({ length: 3 }, () => ({
    x: new Float64Array(n),
    y: new Float64Array(n),
  }));
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * picture.channels;
    const c = i * 4;
    const alpha = cutout.data[c + 3]! / 255;
    const seen = toYcc(picture.data[p]!, picture.data[p + 1]!, picture.data[p + 2]!);
    const want = toYcc(
      cutout.data[c]! * alpha + picture.data[p]! * (1 - alpha),
      cutout.data[c + 1]! * alpha + picture.data[p + 1]! * (1 - alpha),
      cutout.data[c + 2]! * alpha + picture.data[p + 2]! * (1 - alpha),
    );
    for (let k = 0; k < 3; k++) {
      planes[k]!.x[i] = want[k]!;
      planes[k]!.y[i] = seen[k]!;
    }
    if (cutout.data[c + 3]! >= PRODUCT_ALPHA) mask[i] = 1;
  }
  let total = 0;
  let counted = 0;
  const perChannel = planes.map(({ x, y }) => {
    const xx = new Float64Array(n);
    const yy = new Float64Array(n);
    const xy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xx[i] = x[i]! * x[i]!;
      yy[i] = y[i]! * y[i]!;
      xy[i] = x[i]! * y[i]!;
    }
    return {
      sx: integral(x, w, h),
      sy: integral(y, w, h),
      sxx: integral(xx, w, h),
      syy: integral(yy, w, h),
      sxy: integral(xy, w, h),
    };
  });
  for (let py = 0; py < h; py++) {
    const y0 = Math.max(0, py - RADIUS);
    const y1 = Math.min(h, py + RADIUS + 1);
    for (let px = 0; px < w; px++) {
      if (!mask[py * w + px]) continue;
      const x0 = Math.max(0, px - RADIUS);
      const x1 = Math.min(w, px + RADIUS + 1);
      const count = (x1 - x0) * (y1 - y0);
      let score = 0;
      for (let k = 0; k < 3; k++) {
        const t = perChannel[k]!;
        const mx = boxSum(t.sx, w, x0, y0, x1, y1) / count;
        const my = boxSum(t.sy, w, x0, y0, x1, y1) / count;
        const vx = Math.max(0, boxSum(t.sxx, w, x0, y0, x1, y1) / count - mx * mx);
        const vy = Math.max(0, boxSum(t.syy, w, x0, y0, x1, y1) / count - my * my);
        const cov = boxSum(t.sxy, w, x0, y0, x1, y1) / count - mx * my;
        const s =
          ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
        score += WEIGHTS[k]! * s;
      }
      total += Math.max(0, score);
      counted++;
    }
  }
  return counted === 0 ? 0 : total / counted;
}
