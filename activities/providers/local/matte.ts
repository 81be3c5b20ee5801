/**
 * Background removal without a model, for product photos on a plain or studio backdrop: the
 * backdrop is whatever connects to the image border and stays close to the border's average
 * colour. A flood fill from every edge pixel marks it transparent; smooth gradients (a sweep, a
 * vignette) are followed step by step, while the product's edge stops the fill.
 *
 * Limits: a busy or patterned background, a product touching the border, or a product of the
 * backdrop's own colour is not separated; the caller checks the share it removed.
 */

/** Distance (RGB, 0..441) from the border colour a backdrop pixel may have. */
const GLOBAL_TOLERANCE = 150;
/** Step between neighbours inside the fill, so smooth gradients are followed but edges stop it. */
const STEP_TOLERANCE = 6;

/** Alpha per pixel (0 = backdrop, 255 = product) for RGBA `data`. */
export function matte(data: Uint8Array, width: number, height: number): Uint8Array {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(x, (height - 1) * width + x);
  for (let y = 0; y < height; y++) border.push(y * width, y * width + width - 1);
  const mean = [0, 1, 2].map(
    (c) => border.reduce((sum, p) => sum + (data[p * 4 + c] ?? 0), 0) / border.length,
  );
  const dist = (p: number, ref: ArrayLike<number>, refAt = 0) =>
    Math.hypot(
      (data[p * 4] ?? 0) - (ref[refAt] ?? 0),
      (data[p * 4 + 1] ?? 0) - (ref[refAt + 1] ?? 0),
      (data[p * 4 + 2] ?? 0) - (ref[refAt + 2] ?? 0),
    );

  const alpha = new Uint8Array(width * height).fill(255);
  const stack: number[] = [];
  for (const p of border) {
    if (alpha[p] === 255 && dist(p, mean) <= GLOBAL_TOLERANCE) {
      alpha[p] = 0;
      stack.push(p);
    }
  }
  while (stack.length) {
    const p = stack.pop()!;
    const x = p % width;
    const y = (p - x) / width;
    const neighbours = [
      x > 0 ? p - 1 : -1,
      x < width - 1 ? p + 1 : -1,
      y > 0 ? p - width : -1,
      y < height - 1 ? p + width : -1,
    ];
    for (const q of neighbours) {
      if (q < 0 || alpha[q] === 0) continue;
      if (dist(q, data, p * 4) <= STEP_TOLERANCE && dist(q, mean) <= GLOBAL_TOLERANCE) {
        alpha[q] = 0;
        stack.push(q);
      }
    }
  }
  return alpha;
}
