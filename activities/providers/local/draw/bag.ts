import { darken, lighten } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/** A structured handbag / tote: trapezoid body, top handles, flap with a metal clasp. */

const BODY = 'M110 300 L690 300 L760 860 C760 880 745 890 725 890 L75 890 C55 890 40 880 40 860 Z';

function front(paint: Paint, back: boolean): Drawing {
  const handle = `<path d="M230 310 C230 60 570 60 570 310" stroke="${darken(paint.base, 0.25)}" stroke-width="40" fill="none"/>`;
  const flap = back
    ? `<rect x="180" y="420" width="440" height="260" rx="20" fill="${darken(paint.base, 0.08)}"/>${paint.stitch('M196 436 H604 V664 H196 Z', 4)}`
    : `<path d="M110 300 L690 300 L700 520 C560 600 240 600 100 520 Z" fill="${paint.body(darken(paint.base, 0.05))}"/>${paint.stitch('M124 316 L676 316 L684 506 C550 580 250 580 116 506 Z', 4)}<rect x="365" y="540" width="70" height="60" rx="12" fill="${paint.defs.linear(
        [
          { offset: 0, color: '#f3dc9a' },
          { offset: 1, color: '#b08a3a' },
        ],
      )}"/>`;
  const svg = [
    handle,
    `<rect x="212" y="290" width="36" height="40" rx="6" fill="#d4b46a"/><rect x="552" y="290" width="36" height="40" rx="6" fill="#d4b46a"/>`,
    `<path d="${BODY}" fill="${paint.body()}"/>`,
    paint.texture(`<path d="${BODY}"/>`, 1.2),
    flap,
    paint.streak(120, 340, 30, 480, 0.6),
    `<path d="M40 860 C40 880 55 890 75 890 L725 890 C745 890 760 880 760 860" stroke="${darken(paint.base, 0.3)}" stroke-width="10" fill="none"/>`,
  ].join('');
  return {
    svg,
    width: 800,
    height: 900,
    focus: { clasp: { x: 400, y: 560 }, strap: { x: 400, y: 140 } },
  };
}

function side(paint: Paint): Drawing {
  const body =
    'M120 300 L280 300 L320 860 C320 880 305 890 285 890 L115 890 C95 890 80 880 80 860 Z';
  const svg = [
    `<path d="M200 310 L200 90" stroke="${darken(paint.base, 0.25)}" stroke-width="40" stroke-linecap="round"/>`,
    `<path d="${body}" fill="${paint.body()}"/>`,
    `<path d="M200 300 L200 890" stroke="${darken(paint.base, 0.2)}" stroke-width="6"/>`,
    paint.stitch('M134 316 L266 316', 4),
  ].join('');
  return {
    svg,
    width: 400,
    height: 900,
    focus: { clasp: { x: 200, y: 400 }, strap: { x: 200, y: 160 } },
  };
}

function top(paint: Paint): Drawing {
  const svg = [
    `<rect x="40" y="80" width="720" height="240" rx="60" fill="${paint.body(paint.base, true)}"/>`,
    `<rect x="90" y="170" width="620" height="60" rx="30" fill="${darken(paint.base, 0.55)}"/>`,
    `<path d="M230 90 C230 -10 570 -10 570 90" stroke="${darken(paint.base, 0.25)}" stroke-width="34" fill="none"/>`,
    `<path d="M230 310 C230 410 570 410 570 310" stroke="${darken(paint.base, 0.25)}" stroke-width="34" fill="none"/>`,
    `<rect x="100" y="196" width="600" height="8" fill="${lighten(paint.base, 0.4)}"/>`,
  ].join('');
  return {
    svg,
    width: 800,
    height: 420,
    focus: { clasp: { x: 400, y: 200 }, strap: { x: 400, y: 40 } },
  };
}

export const drawBag: Drawer = (view, paint) =>
  view === 'side' ? side(paint) : view === 'top' ? top(paint) : front(paint, view === 'back');
