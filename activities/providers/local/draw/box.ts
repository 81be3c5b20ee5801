import { darken, lighten } from '../colour';
import type { Drawer, Paint } from './svg';

/** A generic retail package (the fallback kind): a box seen in three-quarter view with a logo band. */

function faces(paint: Paint, frontW: number, sideW: number, topH: number): string {
  const h = 620;
  const x0 = 20;
  const y0 = topH + 20;
  const front = `M${x0} ${y0} h${frontW} v${h} h${-frontW} Z`;
  const side = `M${x0 + frontW} ${y0} l${sideW} ${-topH} v${h} l${-sideW} ${topH} Z`;
  const top = `M${x0} ${y0} l${sideW} ${-topH} h${frontW} l${-sideW} ${topH} Z`;
  const band = lighten(paint.base, 0.85);
  return [
    `<path d="${front}" fill="${paint.flat()}"/>`,
    `<path d="${side}" fill="${darken(paint.base, paint.lightSide < 0 ? 0.3 : 0.05)}"/>`,
    `<path d="${top}" fill="${lighten(paint.base, 0.3)}"/>`,
    `<rect x="${x0}" y="${y0 + h * 0.55}" width="${frontW}" height="${h * 0.16}" fill="${band}"/>`,
    `<circle cx="${x0 + frontW / 2}" cy="${y0 + h * 0.3}" r="${Math.min(frontW, h) * 0.12}" fill="none" stroke="${band}" stroke-width="12"/>`,
    `<rect x="${x0 + frontW * 0.25}" y="${y0 + h * 0.6}" width="${frontW * 0.5}" height="14" rx="7" fill="${darken(paint.base, 0.2)}"/>`,
  ].join('');
}

export const drawBox: Drawer = (view, paint) => {
  const [frontW, sideW, topH] =
    view === 'side'
      ? [220, 260, 90]
      : view === 'top'
        ? [460, 160, 340]
        : view === 'back'
          ? [460, 60, 50]
          : [460, 140, 80];
  return {
    svg: faces(paint, frontW, sideW, topH),
    width: frontW + sideW + 40,
    height: topH + 660,
    focus: {
      logo: { x: 20 + frontW / 2, y: topH + 20 + 186 },
      edge: { x: 20 + frontW, y: topH + 200 },
    },
  };
};
