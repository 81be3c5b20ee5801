/**
 * Refines the model's coarse saliency map (320 x 320) into an alpha matte at the photo's working
 * resolution, pure. The map is upsampled, then a guided filter (He, Sun and Tang, 2010) pulls its
 * soft edge onto the photo's own edges; a steep curve turns that into a crisp alpha with a pixel
 * or two of antialiasing. Regions and holes are cleaned afterwards (mask-ops.ts).
 */

/** Bilinear resize of a float map (pixel centres aligned). */
export function resizeMap(
  map: Float32Array,
  width: number,
  height: number,
  toWidth: number,
  toHeight: number,
): Float32Array {
  const out = new Float32Array(toWidth * toHeight);
  const sx = width / toWidth;
  const sy = height / toHeight;
  for (let y = 0; y < toHeight; y++) {
    const v = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(v);
    const y1 = Math.min(height - 1, y0 + 1);
    const fy = v - y0;
    for (let x = 0; x < toWidth; x++) {
      const u = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(u);
      const x1 = Math.min(width - 1, x0 + 1);
      const fx = u - x0;
      const top = map[y0 * width + x0]! * (1 - fx) + map[y0 * width + x1]! * fx;
      const bottom = map[y1 * width + x0]! * (1 - fx) + map[y1 * width + x1]! * fx;
      out[y * toWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** Mean over a (2r+1)^2 window, clipped at the frame, in linear time (running sums). */
export function boxMean(src: Float32Array, width: number, height: number, r: number) {
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    for (let x = 0; x <= Math.min(r, width - 1); x++) sum += src[row + x]!;
    for (let x = 0; x < width; x++) {
      const lo = x - r;
      const hi = x + r;
      rows[row + x] = sum / (Math.min(width - 1, hi) - Math.max(0, lo) + 1);
      if (hi + 1 < width) sum += src[row + hi + 1]!;
      if (lo >= 0) sum -= src[row + lo]!;
    }
  }
  const out = new Float32Array(width * height);
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = 0; y <= Math.min(r, height - 1); y++) sum += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      const lo = y - r;
      const hi = y + r;
      out[y * width + x] = sum / (Math.min(height - 1, hi) - Math.max(0, lo) + 1);
      if (hi + 1 < height) sum += rows[(hi + 1) * width + x]!;
      if (lo >= 0) sum -= rows[lo * width + x]!;
    }
  }
  return out;
}

/** Grey guided filter: `p` smoothed while following the edges of `guide` (both 0..1). */
export function guidedFilter(
  guide: Float32Array,
  p: Float32Array,
  width: number,
  height: number,
  r: number,
  eps: number,
): Float32Array {
  const n = width * height;
  const ip = new Float32Array(n);
  const ii = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ip[i] = guide[i]! * p[i]!;
    ii[i] = guide[i]! * guide[i]!;
  }
  const meanI = boxMean(guide, width, height, r);
  const meanP = boxMean(p, width, height, r);
  const corrIp = boxMean(ip, width, height, r);
  const corrI = boxMean(ii, width, height, r);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const varI = corrI[i]! - meanI[i]! * meanI[i]!;
    const cov = corrIp[i]! - meanI[i]! * meanP[i]!;
    a[i] = cov / (varI + eps);
    b[i] = meanP[i]! - a[i]! * meanI[i]!;
  }
  const meanA = boxMean(a, width, height, r);
  const meanB = boxMean(b, width, height, r);
  const q = new Float32Array(n);
  for (let i = 0; i < n; i++) q[i] = meanA[i]! * guide[i]! + meanB[i]!;
  return q;
}

/** Luma of RGB(A) pixels as 0..1. */
export function lumaOf(data: Uint8Array, width: number, height: number, channels: number) {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const o = i * channels;
    out[i] = (0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!) / 255;
  }
  return out;
}

/** How far the guided filter reaches, and how strongly it follows the photo's edges. */
export function refineParameters(width: number, height: number) {
  return { radius: Math.max(2, Math.round(Math.max(width, height) / 160)), eps: 1e-3 };
}

/**
 * The alpha matte (0..255) of a photo from its coarse saliency map (values 0..1, mapWidth x
 * mapHeight): upsampled, guided by the photo's luma, then made crisp. Only the band where the
 * coarse map is unsure is taken from the filter; confident pixels keep the model's answer.
 */
export function refineAlpha(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels: number,
  map: Float32Array,
  mapWidth: number,
  mapHeight: number,
): Uint8Array {
  const coarse = resizeMap(map, mapWidth, mapHeight, width, height);
  const { radius, eps } = refineParameters(width, height);
  const guided = guidedFilter(
    lumaOf(rgb, width, height, channels),
    coarse,
    width,
    height,
    radius,
    eps,
  );
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) {
    const c = coarse[i]!;
    const v = c > 0.97 || c < 0.03 ? c : guided[i]!;
    // A steep curve around one half: crisp edges that keep a pixel or two of antialiasing.
    const t = Math.min(1, Math.max(0, (v - 0.5) * 4 + 0.5));
    alpha[i] = Math.round(t * 255);
  }
  return alpha;
}
