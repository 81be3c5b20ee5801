import { darken, lighten, luminance } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/** A round analogue wristwatch: strap in the product colour, steel case, dial with hands. */

function dial(paint: Paint, cx: number, cy: number, r: number): string {
  const steel = '#c9ccd1';
  const face = luminance(paint.base) > 0.5 ? '#1f2228' : '#f4f1ea';
  const ink = face === '#1f2228' ? '#f4f1ea' : '#1f2228';
  const ticks = Array.from({ length: 12 }, (_, i) => {
    const a = (i * Math.PI) / 6;
    const r1 = r * (i % 3 === 0 ? 0.68 : 0.74);
    const r2 = r * 0.84;
    return `<line x1="${(cx + Math.sin(a) * r1).toFixed(1)}" y1="${(cy - Math.cos(a) * r1).toFixed(1)}" x2="${(cx + Math.sin(a) * r2).toFixed(1)}" y2="${(cy - Math.cos(a) * r2).toFixed(1)}" stroke="${ink}" stroke-width="${i % 3 === 0 ? 10 : 5}" stroke-linecap="round"/>`;
  }).join('');
  return [
    `<circle cx="${cx}" cy="${cy}" r="${r + 26}" fill="${paint.defs.linear(
      [
        { offset: 0, color: lighten(steel, 0.5) },
        { offset: 0.5, color: darken(steel, 0.25) },
        { offset: 1, color: lighten(steel, 0.2) },
      ],
      0,
      0,
      1,
      1,
    )}"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${paint.defs.radial([
      { offset: 0, color: lighten(face, 0.1) },
      { offset: 1, color: darken(face, 0.15) },
    ])}"/>`,
    ticks,
    `<line x1="${cx}" y1="${cy}" x2="${cx + r * 0.35}" y2="${cy - r * 0.35}" stroke="${ink}" stroke-width="12" stroke-linecap="round"/>`,
    `<line x1="${cx}" y1="${cy}" x2="${cx - r * 0.15}" y2="${cy - r * 0.66}" stroke="${ink}" stroke-width="8" stroke-linecap="round"/>`,
    `<line x1="${cx}" y1="${cy + r * 0.15}" x2="${cx + r * 0.5}" y2="${cy + r * 0.45}" stroke="${paint.base}" stroke-width="4" stroke-linecap="round"/>`,
    `<circle cx="${cx}" cy="${cy}" r="10" fill="${paint.base}"/>`,
    `<path d="M${cx - r * 0.7} ${cy - r * 0.5} A${r} ${r} 0 0 1 ${cx + r * 0.2} ${cy - r * 0.85}" stroke="#fff" stroke-width="14" fill="none" opacity="0.35" stroke-linecap="round"/>`,
  ].join('');
}

function strap(
  paint: Paint,
  y1: number,
  y2: number,
  w: number,
  cx: number,
  holes: boolean,
): string {
  const d = `M${cx - w / 2} ${y1} L${cx + w / 2} ${y1} L${cx + w / 2 - 8} ${y2} Q${cx} ${y2 + (y2 > y1 ? 20 : -20)} ${cx - w / 2 + 8} ${y2} Z`;
  const holeDots = holes
    ? [0, 1, 2, 3]
        .map(
          (i) =>
            `<ellipse cx="${cx}" cy="${Math.min(y1, y2) + 60 + i * 46}" rx="9" ry="7" fill="${darken(paint.base, 0.5)}"/>`,
        )
        .join('')
    : '';
  return `<path d="${d}" fill="${paint.body()}"/>${paint.texture(`<path d="${d}"/>`, 1)}${paint.stitch(`M${cx - w / 2 + 14} ${y1} L${cx - w / 2 + 18} ${y2 - 10}`, 3)}${paint.stitch(`M${cx + w / 2 - 14} ${y1} L${cx + w / 2 - 18} ${y2 - 10}`, 3)}${holeDots}`;
}

function front(paint: Paint): Drawing {
  const svg = [
    strap(paint, 320, 40, 200, 200, false),
    strap(paint, 680, 980, 200, 200, true),
    `<rect x="372" y="480" width="34" height="44" rx="8" fill="#b9bcc2"/>`,
    dial(paint, 200, 500, 190),
  ].join('');
  return {
    svg,
    width: 420,
    height: 1000,
    focus: { dial: { x: 200, y: 500 }, crown: { x: 370, y: 500 }, strap: { x: 200, y: 800 } },
  };
}

function back(paint: Paint): Drawing {
  const steel = '#c9ccd1';
  const rings = [150, 120, 70]
    .map(
      (r, i) =>
        `<circle cx="200" cy="500" r="${r}" fill="none" stroke="${darken(steel, 0.2 + i * 0.05)}" stroke-width="4"/>`,
    )
    .join('');
  const svg = [
    strap(paint, 330, 40, 200, 200, false),
    strap(paint, 670, 980, 200, 200, false),
    `<circle cx="200" cy="500" r="210" fill="${paint.defs.radial([
      { offset: 0, color: lighten(steel, 0.4) },
      { offset: 1, color: darken(steel, 0.3) },
    ])}"/>`,
    rings,
    [0, 1, 2, 3]
      .map(
        (i) =>
          `<circle cx="${200 + Math.cos(i * 1.57 + 0.78) * 180}" cy="${500 + Math.sin(i * 1.57 + 0.78) * 180}" r="10" fill="${darken(steel, 0.35)}"/>`,
      )
      .join(''),
    `<rect x="6" y="480" width="30" height="40" rx="8" fill="#b9bcc2"/>`,
  ].join('');
  return {
    svg,
    width: 420,
    height: 1000,
    focus: { dial: { x: 200, y: 500 }, crown: { x: 30, y: 500 }, strap: { x: 200, y: 200 } },
  };
}

function side(paint: Paint): Drawing {
  const steel = '#c9ccd1';
  const svg = [
    `<path d="M120 380 C40 300 40 120 120 30" stroke="${darken(paint.base, 0.1)}" stroke-width="60" fill="none" stroke-linecap="round"/>`,
    `<path d="M120 620 C40 700 40 880 120 970" stroke="${paint.base}" stroke-width="60" fill="none" stroke-linecap="round"/>`,
    `<rect x="110" y="300" width="120" height="400" rx="36" fill="${paint.defs.linear([
      { offset: 0, color: darken(steel, 0.3) },
      { offset: 0.5, color: lighten(steel, 0.5) },
      { offset: 1, color: darken(steel, 0.2) },
    ])}"/>`,
    `<path d="M230 320 Q270 500 230 680" fill="${lighten(steel, 0.3)}" stroke="${darken(steel, 0.2)}" stroke-width="4"/>`,
    `<rect x="240" y="470" width="40" height="60" rx="10" fill="${steel}"/>`,
  ].join('');
  return {
    svg,
    width: 300,
    height: 1000,
    focus: { dial: { x: 230, y: 500 }, crown: { x: 260, y: 500 }, strap: { x: 80, y: 800 } },
  };
}

function top(paint: Paint): Drawing {
  const face = front(paint);
  return {
    svg: `<g transform="translate(0 20) scale(1 0.62)">${face.svg}</g>`,
    width: 420,
    height: 660,
    focus: { dial: { x: 200, y: 330 }, crown: { x: 370, y: 330 }, strap: { x: 200, y: 520 } },
  };
}

export const drawWatch: Drawer = (view, paint) =>
  view === 'front'
    ? front(paint)
    : view === 'back'
      ? back(paint)
      : view === 'side'
        ? side(paint)
        : top(paint);
