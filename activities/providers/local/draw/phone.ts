import { darken, lighten } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/** A modern smartphone: rounded slab, lit screen with a wallpaper in the product colour, camera bump. */

function frontFace(paint: Paint): string {
  const wallpaper = paint.defs.linear(
    [
      { offset: 0, color: lighten(paint.base, 0.35) },
      { offset: 0.55, color: paint.base },
      { offset: 1, color: darken(paint.accent, 0.3) },
    ],
    0,
    0,
    1,
    1,
  );
  return [
    `<rect x="0" y="0" width="480" height="1000" rx="70" fill="${darken(paint.base, 0.5)}"/>`,
    `<rect x="16" y="16" width="448" height="968" rx="58" fill="#0b0b0d"/>`,
    `<rect x="30" y="30" width="420" height="940" rx="48" fill="${wallpaper}"/>`,
    `<circle cx="160" cy="640" r="220" fill="${lighten(paint.base, 0.5)}" opacity="0.25"/>`,
    `<rect x="180" y="52" width="120" height="34" rx="17" fill="#0b0b0d"/>`,
    `<text x="240" y="250" text-anchor="middle" font-family="DejaVu Sans" font-size="96" fill="#ffffff" opacity="0.92">9:41</text>`,
    `<path d="M30 30 L300 30 L30 600 Z" fill="#ffffff" opacity="0.07"/>`,
  ].join('');
}

function backFace(paint: Paint): string {
  const lens = (cx: number, cy: number) =>
    `<circle cx="${cx}" cy="${cy}" r="42" fill="#1a1a1e"/><circle cx="${cx}" cy="${cy}" r="26" fill="${paint.defs.radial(
      [
        { offset: 0, color: '#3b4a6b' },
        { offset: 1, color: '#050507' },
      ],
    )}"/><circle cx="${cx - 9}" cy="${cy - 9}" r="7" fill="#fff" opacity="0.6"/>`;
  return [
    `<rect x="0" y="0" width="480" height="1000" rx="70" fill="${paint.body()}"/>`,
    `<rect x="36" y="36" width="220" height="230" rx="50" fill="${darken(paint.base, 0.12)}"/>`,
    lens(100, 100),
    lens(100, 200),
    lens(192, 150),
    `<circle cx="240" cy="560" r="44" fill="${lighten(paint.base, 0.25)}"/>`,
    paint.streak(paint.lightSide < 0 ? 40 : 400, 300, 40, 620, 0.8),
  ].join('');
}

export const drawPhone: Drawer = (view, paint): Drawing => {
  if (view === 'side') {
    const svg = [
      `<rect x="0" y="0" width="70" height="1000" rx="30" fill="${paint.body()}"/>`,
      `<rect x="62" y="220" width="14" height="120" rx="6" fill="${darken(paint.base, 0.2)}"/>`,
      `<rect x="62" y="380" width="14" height="80" rx="6" fill="${darken(paint.base, 0.2)}"/>`,
    ].join('');
    return {
      svg,
      width: 80,
      height: 1000,
      focus: { camera: { x: 40, y: 150 }, screen: { x: 40, y: 500 } },
    };
  }
  if (view === 'top') {
    return {
      svg: `<g transform="translate(420 0) rotate(30)">${frontFace(paint)}</g>`,
      width: 920,
      height: 870,
      focus: { camera: { x: 450, y: 120 }, screen: { x: 300, y: 450 } },
    };
  }
  return {
    svg: view === 'back' ? backFace(paint) : frontFace(paint),
    width: 480,
    height: 1000,
    focus: { camera: { x: 140, y: 150 }, screen: { x: 240, y: 400 } },
  };
};
