import { darken, lighten, luminance } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/**
 * A sports / water bottle: rounded body with shoulders, a neck, a screw cap with a carry loop
 * and a wrap label. The loop is what changes between front, side and back silhouettes.
 */

const BODY =
  'M70 330 C70 250 110 215 150 200 L150 150 L250 150 L250 200 C290 215 330 250 330 330 L330 940 C330 975 305 1000 270 1000 L130 1000 C95 1000 70 975 70 940 Z';

function labelColours(paint: Paint) {
  const light = luminance(paint.base) > 0.45;
  return {
    label: light ? darken(paint.base, 0.55) : lighten(paint.base, 0.92),
    ink: light ? lighten(paint.base, 0.85) : darken(paint.base, 0.2),
    cap: light ? darken(paint.base, 0.35) : lighten(paint.base, 0.12),
  };
}

function cap(paint: Paint, loop: 'front' | 'side' | 'back'): string {
  const { cap: capColour } = labelColours(paint);
  const ring =
    loop === 'side'
      ? `<path d="M250 70 C330 60 360 110 330 150" stroke="${capColour}" stroke-width="22" fill="none" stroke-linecap="round"/>`
      : `<ellipse cx="200" cy="44" rx="46" ry="40" fill="none" stroke="${capColour}" stroke-width="20"/>`;
  const grips = [0, 1, 2, 3, 4, 5, 6]
    .map(
      (i) =>
        `<rect x="${146 + i * 16}" y="98" width="5" height="52" fill="${darken(capColour, 0.25)}" opacity="0.6"/>`,
    )
    .join('');
  return [
    ring,
    `<rect x="136" y="78" width="128" height="82" rx="14" fill="${paint.body(capColour)}"/>`,
    grips,
    `<rect x="130" y="150" width="140" height="16" rx="6" fill="${darken(capColour, 0.2)}"/>`,
  ].join('');
}

function upright(paint: Paint, view: 'front' | 'side' | 'back'): Drawing {
  const { label, ink } = labelColours(paint);
  const clip = paint.defs.clip(`<path d="${BODY}"/>`);
  const labelX = view === 'side' ? 150 : 40;
  const labelMarks =
    view === 'front'
      ? `<circle cx="200" cy="560" r="46" fill="none" stroke="${ink}" stroke-width="10"/><path d="M176 575 L200 530 L224 575" stroke="${ink}" stroke-width="10" fill="none" stroke-linejoin="round"/><rect x="130" y="640" width="140" height="16" rx="8" fill="${ink}"/><rect x="155" y="670" width="90" height="10" rx="5" fill="${ink}" opacity="0.7"/>`
      : view === 'back'
        ? `${[0, 1, 2, 3, 4].map((i) => `<rect x="110" y="${520 + i * 24}" width="${180 - (i % 2) * 50}" height="9" rx="4" fill="${ink}" opacity="0.75"/>`).join('')}<g fill="${ink}">${[
            0, 2, 3, 5, 7, 8, 10, 12, 13, 15,
          ]
            .map(
              (i) =>
                `<rect x="${150 + i * 6}" y="660" width="${i % 3 === 0 ? 5 : 3}" height="46"/>`,
            )
            .join('')}</g>`
        : `<rect x="180" y="540" width="80" height="16" rx="8" fill="${ink}"/>`;
  const svg = [
    `<path d="${BODY}" fill="${paint.body()}" opacity="${paint.finish.opacity}"/>`,
    `<g clip-path="${clip}">`,
    `<rect x="${labelX}" y="460" width="${view === 'side' ? 260 : 320}" height="270" fill="${label}"/>`,
    `<rect x="${labelX}" y="460" width="${view === 'side' ? 260 : 320}" height="270" fill="${paint.body('#808080')}" opacity="0.25" style="mix-blend-mode:multiply"/>`,
    labelMarks,
    `<rect x="40" y="930" width="320" height="80" fill="${darken(paint.base, 0.2)}" opacity="0.5"/>`,
    '</g>',
    paint.texture(`<path d="${BODY}"/>`, 1.5),
    paint.streak(paint.lightSide < 0 ? 104 : 262, 250, 26, 660, 1),
    paint.streak(paint.lightSide < 0 ? 300 : 86, 300, 12, 560, 0.5),
    cap(paint, view),
  ].join('');
  return {
    svg,
    width: 400,
    height: 1000,
    focus: { cap: { x: 200, y: 120 }, label: { x: 200, y: 590 } },
  };
}

function top(paint: Paint): Drawing {
  const { cap: capColour } = labelColours(paint);
  const svg = [
    `<circle cx="200" cy="200" r="150" fill="${paint.body()}"/>`,
    `<circle cx="200" cy="200" r="120" fill="${darken(paint.base, 0.12)}"/>`,
    `<circle cx="200" cy="200" r="72" fill="${paint.body(capColour)}"/>`,
    `<circle cx="200" cy="200" r="56" fill="none" stroke="${darken(capColour, 0.25)}" stroke-width="4"/>`,
    `<rect x="180" y="40" width="40" height="120" rx="20" fill="none" stroke="${capColour}" stroke-width="18"/>`,
    paint.streak(120, 110, 30, 180, 0.8),
  ].join('');
  return {
    svg,
    width: 400,
    height: 400,
    focus: { cap: { x: 200, y: 200 }, label: { x: 200, y: 330 } },
  };
}

export const drawBottle: Drawer = (view, paint) =>
  view === 'top' ? top(paint) : upright(paint, view);
