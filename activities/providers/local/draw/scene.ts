import type { ProductView } from '../../../../core/options';
import type { ProductSpec, StyleSpec } from '../../types';
import { lighten } from '../colour';
import { isProductKind } from '../parse-prompt';
import type { ProductKind } from '../parse-prompt';
import { createRandom, hashString } from '../random';
import { bokeh, pedestal, props, readSetLook, studioSet, tabletop } from './backdrop';
import type { SetLook } from './backdrop';
import { drawerFor } from './products';
import type { Drawing, DrawView } from './svg';
import { Defs, Paint, finishFor, n } from './svg';

/**
 * Composes one ad still as SVG: set, shadow, reflection, product (or the space for an uploaded
 * photo), props and a final vignette/grade. All sizes derive from the canvas so any resolution
 * gets the same framing.
 */

export interface SceneInput {
  view: ProductView;
  prompt: string;
  seed: number;
  style: StyleSpec;
  product: ProductSpec;
  width: number;
  height: number;
  /** Size of an uploaded photo that will be composited in place of the drawn product. */
  photo?: { width: number; height: number } | undefined;
}

export interface Scene {
  svg: string;
  /** Where the uploaded photo goes (top-left, in pixels), when there is one. */
  photoAt?: { left: number; top: number } | undefined;
  /**
   * The shadow the photo casts, drawn from its silhouette when it is composited: on the floor
   * under it (standing views) or offset away from the light (top view); none in close-ups.
   */
  photoShadow?: { kind: 'contact' | 'drop'; lightSide: number; dark: boolean } | undefined;
}

/** Detail shots draw the view that shows their features best. */
const DETAIL_VIEW: Record<ProductKind, DrawView> = {
  shoe: 'side',
  bottle: 'front',
  watch: 'front',
  headphones: 'side',
  bag: 'front',
  mug: 'front',
  phone: 'back',
  lipstick: 'front',
  jar: 'front',
  box: 'front',
};

/** Lifestyle shots show the most characterful silhouette. */
const LIFESTYLE_VIEW: Record<ProductKind, DrawView> = {
  shoe: 'side',
  bottle: 'front',
  watch: 'front',
  headphones: 'front',
  bag: 'front',
  mug: 'front',
  phone: 'front',
  lipstick: 'front',
  jar: 'front',
  box: 'front',
};

interface Placement {
  x: number;
  y: number;
  scale: number;
}

function fit(d: { width: number; height: number }, maxW: number, maxH: number): number {
  return Math.min(maxW / d.width, maxH / d.height);
}

function placed(drawing: Drawing, p: Placement): string {
  return `<g transform="translate(${n(p.x)} ${n(p.y)}) scale(${p.scale.toFixed(5)})">${drawing.svg}</g>`;
}

function groundShadow(
  defs: Defs,
  look: SetLook,
  cx: number,
  floorY: number,
  width: number,
  h: number,
): string {
  const soft = defs.blur(h * 0.018);
  const tight = defs.blur(h * 0.006);
  const cast = look.lightSide * -1 * width * 0.12;
  return [
    `<ellipse cx="${n(cx + cast)}" cy="${n(floorY + h * 0.004)}" rx="${n(width * 0.56)}" ry="${n(h * 0.03)}" fill="#000" opacity="${look.dark ? 0.5 : 0.22}" filter="${soft}"/>`,
    `<ellipse cx="${n(cx)}" cy="${n(floorY)}" rx="${n(width * 0.47)}" ry="${n(h * 0.01)}" fill="#000" opacity="${look.dark ? 0.7 : 0.38}" filter="${tight}"/>`,
  ].join('');
}

/** Mirror image below the floor line, fading out; only on reflective or dark glossy sets. */
function reflection(
  defs: Defs,
  look: SetLook,
  content: string,
  floorY: number,
  w: number,
  h: number,
): string {
  const fade = defs.linear(
    [
      { offset: 0, color: look.shade, opacity: 0.55 },
      { offset: 0.35, color: look.shade, opacity: 1 },
    ],
    0,
    0,
    0,
    1,
  );
  return [
    `<g transform="translate(0 ${n(2 * floorY)}) scale(1 -1)" opacity="0.35">${content}</g>`,
    `<rect y="${n(floorY)}" width="${w}" height="${n(h - floorY)}" fill="${fade}"/>`,
  ].join('');
}

function finishing(defs: Defs, style: StyleSpec, look: SetLook, w: number, h: number): string {
  const grade = style.grade.toLowerCase();
  const strength = /high-contrast|rich blacks/.test(grade) ? 0.5 : look.dark ? 0.45 : 0.28;
  const vignette = defs.radial(
    [
      { offset: 0.55, color: '#000', opacity: 0 },
      { offset: 1, color: '#000', opacity: strength },
    ],
    0.5,
    0.5,
    0.75,
  );
  const tint = /warm/.test(grade)
    ? `<rect width="${w}" height="${h}" fill="#ff9a3c" opacity="0.05"/>`
    : /pastel|bright/.test(grade)
      ? `<rect width="${w}" height="${h}" fill="#ffffff" opacity="0.05"/>`
      : '';
  return `${tint}<rect width="${w}" height="${h}" fill="${vignette}"/>`;
}

/** A blurred, darkened copy of the product: a shadow that follows its outline. */
function silhouetteShadow(defs: Defs, content: string, blur: number, opacity: number): string {
  const id = defs.add(
    'sh',
    (i) =>
      `<filter id="${i}" x="-20%" y="-20%" width="140%" height="140%"><feColorMatrix type="matrix" values="0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 ${opacity} 0"/><feGaussianBlur stdDeviation="${n(blur)}"/></filter>`,
  );
  return `<g filter="url(#${id})">${content}</g>`;
}

function focusFor(drawing: Drawing, prompt: string): { x: number; y: number } {
  const text = prompt.toLowerCase();
  const keys = Object.keys(drawing.focus);
  const key = keys.find((k) => text.includes(k)) ?? keys[0];
  const point = key === undefined ? undefined : drawing.focus[key];
  return point ?? { x: drawing.width / 2, y: drawing.height / 2 };
}

export function composeScene(input: SceneInput): Scene {
  const { width: w, height: h, style, product, view } = input;
  const kind: ProductKind = isProductKind(product.kind) ? product.kind : 'box';
  const defs = new Defs('s');
  const look = readSetLook(style.palette, style.backdrop, style.lighting);
  const paint = new Paint(
    defs,
    product.colourHex,
    look.accent,
    finishFor(product.material),
    look.lightSide,
  );
  const random = createRandom(hashString(`${input.seed}|${view}|${input.prompt}`));
  // The camera sits a little off centre, to the left for even seeds and to the right for odd
  // ones: a variant (the seed plus one) is never the same picture as the shot it was made from.
  const nudge = (input.seed % 2 === 0 ? -1 : 1) * w * (0.01 + random() * 0.02);
  const layers: string[] = [];
  let photoAt: Scene['photoAt'];
  let photoShadow: Scene['photoShadow'];
  const unit = Math.min(w, h);

  if (view === 'top') {
    layers.push(tabletop(defs, look, w, h));
    const drawing = input.photo ? undefined : drawerFor(kind)('top', paint);
    const box = input.photo ?? drawing ?? { width: 1, height: 1 };
    const scale = input.photo ? 1 : fit(box, w * 0.72, h * 0.66);
    const bw = box.width * scale;
    const bh = box.height * scale;
    const x = Math.round((w - bw) / 2 + nudge);
    const y = Math.round((h - bh) / 2);
    const off = unit * 0.02;
    const shadowAt = { x: x + look.lightSide * -off, y: y + off, scale };
    if (input.photo) {
      // The photo's drop shadow follows its silhouette; image.ts draws it from the cutout's alpha.
      photoAt = { left: x, top: y };
      photoShadow = { kind: 'drop', lightSide: look.lightSide, dark: look.dark };
    } else if (drawing) {
      layers.push(
        silhouetteShadow(defs, placed(drawing, shadowAt), unit * 0.012, look.dark ? 0.6 : 0.3),
      );
      layers.push(placed(drawing, { x, y, scale }));
    }
  } else if (view === 'detail') {
    layers.push(studioSet(defs, look, w, h, h * 0.9));
    layers.push(bokeh(defs, look, w, h, random));
    if (input.photo) {
      photoAt = centred(input.photo, w, h);
    } else {
      const drawing = drawerFor(kind)(DETAIL_VIEW[kind], paint);
      const scale = fit(drawing, w * 1.6, h * 1.6);
      const f = focusFor(drawing, input.prompt);
      layers.push(placed(drawing, { x: w / 2 - f.x * scale, y: h / 2 - f.y * scale, scale }));
    }
  } else {
    const lifestyle = view === 'lifestyle';
    const setting = /floor/.test(input.prompt.toLowerCase()) ? 1 : 0;
    const onPedestal = lifestyle ? setting === 0 : look.podium;
    const floorY = h * (lifestyle ? 0.84 : 0.8);
    layers.push(studioSet(defs, look, w, h, floorY));
    if (lifestyle) layers.push(props(defs, look, w, h, floorY, setting));
    const drawing = input.photo
      ? undefined
      : drawerFor(kind)(lifestyle ? LIFESTYLE_VIEW[kind] : view, paint);
    const box = input.photo ?? drawing ?? { width: 1, height: 1 };
    const scale = input.photo
      ? 1
      : fit(box, w * (lifestyle ? 0.5 : 0.6), h * (lifestyle ? 0.5 : onPedestal ? 0.56 : 0.62));
    const bw = box.width * scale;
    const bh = box.height * scale;
    let ground = floorY;
    if (onPedestal) {
      const ph = h * (lifestyle ? 0.14 : 0.1);
      const pw = Math.max(bw * 1.08, w * 0.2);
      ground = floorY - ph;
      layers.push(groundShadow(defs, look, w / 2 + nudge, floorY, pw, h));
      layers.push(pedestal(defs, look, w / 2 + nudge, ground, pw, ph));
    }
    const x = Math.round((w - bw) / 2 + nudge);
    const y = Math.round(Math.max(0, ground - bh));
    const productSvg = drawing ? placed(drawing, { x, y, scale }) : '';
    if ((look.reflective || look.dark) && !onPedestal && drawing) {
      layers.push(reflection(defs, look, productSvg, ground, w, h));
    }
    layers.push(groundShadow(defs, look, w / 2 + nudge, ground, bw, h));
    if (input.photo) {
      photoAt = { left: x, top: y };
      photoShadow = { kind: 'contact', lightSide: look.lightSide, dark: look.dark };
    } else layers.push(productSvg);
  }

  layers.push(finishing(defs, style, look, w, h));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${defs.toString()}<rect width="${w}" height="${h}" fill="${lighten(look.wall, 0.1)}"/>${layers.join('')}</svg>`;
  return { svg, photoAt, photoShadow };
}

function centred(photo: { width: number; height: number }, w: number, h: number) {
  return { left: Math.round((w - photo.width) / 2), top: Math.round((h - photo.height) / 2) };
}
