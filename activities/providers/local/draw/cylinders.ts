import { darken, lighten } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/**
 * Products built from upright cylinders: mug, cosmetic jar and lipstick. Each is a short list
 * of stacked cylinders plus a few kind-specific marks.
 */

function cylinder(
  paint: Paint,
  x: number,
  y: number,
  w: number,
  h: number,
  colour: string,
): string {
  const ry = w * 0.1;
  return [
    `<path d="M${x} ${y}V${y + h}A${w / 2} ${ry} 0 0 0 ${x + w} ${y + h}V${y}Z" fill="${paint.body(colour)}"/>`,
    `<ellipse cx="${x + w / 2}" cy="${y}" rx="${w / 2}" ry="${ry}" fill="${lighten(colour, 0.18)}"/>`,
  ].join('');
}

function mug(view: 'front' | 'side' | 'back' | 'top', paint: Paint): Drawing {
  const handleColour = darken(paint.base, 0.08);
  if (view === 'top') {
    const svg = [
      `<path d="M560 250 C680 250 680 420 560 420" stroke="${handleColour}" stroke-width="44" fill="none"/>`,
      `<circle cx="330" cy="335" r="260" fill="${paint.body()}"/>`,
      `<circle cx="330" cy="335" r="226" fill="#4a2c1c"/>`,
      `<circle cx="330" cy="335" r="200" fill="${lighten('#7a4a2c', 0.2)}" opacity="0.7"/>`,
      `<path d="M260 330 C300 260 360 400 400 330" stroke="#f1e2cc" stroke-width="18" fill="none" stroke-linecap="round"/>`,
    ].join('');
    return {
      svg,
      width: 700,
      height: 670,
      focus: { rim: { x: 330, y: 110 }, handle: { x: 640, y: 335 } },
    };
  }
  const handle =
    view === 'side'
      ? `<ellipse cx="330" cy="330" rx="80" ry="110" fill="none" stroke="${handleColour}" stroke-width="40"/>`
      : view === 'front'
        ? `<path d="M570 180 C720 180 720 460 570 460" stroke="${handleColour}" stroke-width="48" fill="none"/>`
        : `<path d="M90 180 C-60 180 -60 460 90 460" stroke="${handleColour}" stroke-width="48" fill="none" transform="translate(60 0)"/>`;
  const behind = view === 'front' || view === 'back';
  const svg = [
    behind ? handle : '',
    cylinder(paint, 100, 80, 470, 480, paint.base),
    `<ellipse cx="335" cy="80" rx="215" ry="40" fill="${darken(paint.base, 0.35)}"/>`,
    view === 'front'
      ? `<circle cx="335" cy="330" r="70" fill="none" stroke="${lighten(paint.base, 0.6)}" stroke-width="10"/>`
      : '',
    paint.streak(paint.lightSide < 0 ? 150 : 480, 140, 30, 360, 1),
    behind ? '' : handle,
  ].join('');
  return {
    svg,
    width: 720,
    height: 610,
    focus: { handle: { x: 640, y: 320 }, rim: { x: 335, y: 90 } },
  };
}

function jar(view: 'front' | 'side' | 'back' | 'top', paint: Paint): Drawing {
  const lid = lighten(paint.base, 0.5);
  if (view === 'top') {
    const svg = [
      `<circle cx="300" cy="300" r="280" fill="${paint.body(lid)}"/>`,
      `<circle cx="300" cy="300" r="200" fill="none" stroke="${darken(lid, 0.15)}" stroke-width="6"/>`,
      `<circle cx="300" cy="300" r="60" fill="${paint.base}"/>`,
    ].join('');
    return {
      svg,
      width: 600,
      height: 600,
      focus: { lid: { x: 300, y: 300 }, label: { x: 300, y: 300 } },
    };
  }
  const svg = [
    cylinder(paint, 60, 260, 560, 300, paint.base),
    cylinder(paint, 50, 120, 580, 150, lid),
    view === 'side'
      ? ''
      : `<rect x="150" y="340" width="380" height="${view === 'back' ? 150 : 110}" rx="10" fill="${lighten(paint.base, 0.85)}" opacity="0.9"/>`,
    view === 'front'
      ? `<rect x="230" y="370" width="220" height="18" rx="9" fill="${darken(paint.base, 0.3)}"/><rect x="270" y="404" width="140" height="10" rx="5" fill="${darken(paint.base, 0.3)}"/>`
      : '',
    view === 'back'
      ? [0, 1, 2, 3]
          .map(
            (i) =>
              `<rect x="180" y="${360 + i * 28}" width="${300 - i * 40}" height="9" rx="4" fill="${darken(paint.base, 0.3)}"/>`,
          )
          .join('')
      : '',
    paint.streak(paint.lightSide < 0 ? 100 : 540, 290, 30, 230, 1),
  ].join('');
  return {
    svg,
    width: 680,
    height: 620,
    focus: { lid: { x: 340, y: 180 }, label: { x: 340, y: 400 } },
  };
}

function lipstick(view: 'front' | 'side' | 'back' | 'top', paint: Paint): Drawing {
  const gold = '#d4a838';
  if (view === 'top') {
    const svg = [
      `<circle cx="200" cy="200" r="180" fill="${paint.body(gold)}"/>`,
      `<circle cx="200" cy="200" r="120" fill="${paint.body()}"/>`,
      `<ellipse cx="200" cy="200" rx="120" ry="60" fill="${lighten(paint.base, 0.2)}"/>`,
    ].join('');
    return {
      svg,
      width: 400,
      height: 400,
      focus: { bullet: { x: 200, y: 200 }, case: { x: 200, y: 60 } },
    };
  }
  const tip =
    view === 'side'
      ? 'M120 260 L120 120 C120 80 160 60 280 110 L280 260 Z'
      : 'M120 260 L120 90 C120 60 200 40 280 70 L280 260 Z';
  const closed = view === 'back';
  const svg = closed
    ? [
        cylinder(paint, 80, 120, 240, 400, darken(paint.base, 0.1)),
        cylinder(paint, 80, 520, 240, 380, gold),
      ].join('')
    : [
        `<path d="${tip}" fill="${paint.body()}"/>`,
        paint.streak(150, 100, 18, 150, 1),
        cylinder(paint, 100, 250, 200, 120, gold),
        cylinder(paint, 80, 370, 240, 530, paint.base),
        `<rect x="80" y="540" width="240" height="14" fill="${gold}"/>`,
      ].join('');
  return {
    svg,
    width: 400,
    height: 920,
    focus: { bullet: { x: 200, y: 150 }, case: { x: 200, y: 600 } },
  };
}

export const drawMug: Drawer = (view, paint) => mug(view, paint);
export const drawJar: Drawer = (view, paint) => jar(view, paint);
export const drawLipstick: Drawer = (view, paint) => lipstick(view, paint);
