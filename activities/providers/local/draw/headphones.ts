import { darken, lighten } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/** Over-ear headphones: arched headband, sliders, padded ear cups. */

function cup(paint: Paint, cx: number, cy: number, rx: number, ry: number): string {
  return [
    `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${paint.body()}"/>`,
    `<ellipse cx="${cx}" cy="${cy}" rx="${rx * 0.62}" ry="${ry * 0.7}" fill="${darken(paint.base, 0.15)}"/>`,
    `<circle cx="${cx}" cy="${cy}" r="${rx * 0.18}" fill="${lighten(paint.base, 0.3)}"/>`,
    paint.streak(cx - rx * 0.6, cy - ry * 0.7, rx * 0.18, ry * 1.2, 0.8),
  ].join('');
}

function front(paint: Paint, back: boolean): Drawing {
  const band = `<path d="M150 560 C150 120 750 120 750 560" stroke="${darken(paint.base, 0.2)}" stroke-width="56" fill="none" stroke-linecap="round"/><path d="M170 520 C176 170 724 170 730 520" stroke="${back ? paint.base : lighten(paint.base, 0.15)}" stroke-width="26" fill="none"/>`;
  const cushion = (x: number) =>
    `<rect x="${x}" y="520" width="70" height="250" rx="35" fill="${darken(paint.base, 0.6)}"/>`;
  const svg = [
    band,
    `<rect x="128" y="470" width="44" height="110" rx="14" fill="#c9ccd1"/><rect x="728" y="470" width="44" height="110" rx="14" fill="#c9ccd1"/>`,
    back ? '' : cushion(190) + cushion(640),
    `<rect x="70" y="540" width="150" height="260" rx="70" fill="${paint.body()}"/>`,
    `<rect x="680" y="540" width="150" height="260" rx="70" fill="${paint.body()}"/>`,
    paint.streak(96, 570, 22, 190, 0.8),
    paint.streak(706, 570, 22, 190, 0.8),
    back ? `<circle cx="450" cy="190" r="16" fill="${lighten(paint.base, 0.5)}"/>` : '',
  ].join('');
  return {
    svg,
    width: 900,
    height: 820,
    focus: { 'ear cup': { x: 145, y: 670 }, headband: { x: 450, y: 220 } },
  };
}

function side(paint: Paint): Drawing {
  const svg = [
    `<path d="M300 430 C300 20 520 20 560 200" stroke="${darken(paint.base, 0.2)}" stroke-width="50" fill="none" stroke-linecap="round"/>`,
    `<rect x="278" y="360" width="44" height="110" rx="14" fill="#c9ccd1"/>`,
    cup(paint, 300, 640, 190, 230),
  ].join('');
  return {
    svg,
    width: 600,
    height: 880,
    focus: { 'ear cup': { x: 300, y: 640 }, headband: { x: 400, y: 120 } },
  };
}

function top(paint: Paint): Drawing {
  const svg = [
    `<rect x="120" y="150" width="660" height="70" rx="35" fill="${paint.body(darken(paint.base, 0.1), true)}"/>`,
    `<rect x="40" y="90" width="150" height="200" rx="40" fill="${paint.body()}"/>`,
    `<rect x="710" y="90" width="150" height="200" rx="40" fill="${paint.body()}"/>`,
    `<rect x="60" y="110" width="110" height="160" rx="30" fill="${darken(paint.base, 0.15)}"/>`,
    `<rect x="730" y="110" width="110" height="160" rx="30" fill="${darken(paint.base, 0.15)}"/>`,
  ].join('');
  return {
    svg,
    width: 900,
    height: 380,
    focus: { 'ear cup': { x: 115, y: 190 }, headband: { x: 450, y: 185 } },
  };
}

export const drawHeadphones: Drawer = (view, paint) =>
  view === 'side' ? side(paint) : view === 'top' ? top(paint) : front(paint, view === 'back');
