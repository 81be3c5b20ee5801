import type { CutoutHints } from '#core/cutout-quality.ts';

/** A mark's place as fractions (0..1) of the photo's width and height. */
export interface Point {
  x: number;
  y: number;
}
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Where a pointer event falls in an element, as fractions of the element (inside it). */
export function pointIn(rect: DOMRect, clientX: number, clientY: number): Point {
  return {
    x: round(clamp((clientX - rect.left) / rect.width)),
    y: round(clamp((clientY - rect.top) / rect.height)),
  };
}

/** The box two corners span, whichever way the person dragged. */
export function boxBetween(a: Point, b: Point): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: round(Math.abs(a.x - b.x)), h: round(Math.abs(a.y - b.y)) };
}

/** The marks as the refineCutout action takes them. */
export function hintsOf(keep: Point[], drop: Point[], box: Box | undefined): CutoutHints {
  return { keep, drop, ...(box ? { box } : {}) };
}

/** A percentage for CSS from a fraction. */
export const pct = (v: number) => `${(v * 100).toFixed(3)}%`;
