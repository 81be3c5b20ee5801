import { darken, lighten, luminance, mix } from '../colour';
import type { PhotoShot } from '../photo-shots';
import type { PropKind, SetMaterial } from '../scene-direction';
import { Defs, n } from './svg';

/**
 * The set around a product photo, drawn as SVG from a PhotoShot: wall, a floor in perspective
 * with its material, the key light's pool and colour, and props placed clear of the product. The
 * product itself is composited afterwards (image.ts), pixel for pixel. Pure.
 */

export interface PhotoSet {
  svg: string;
  /** Top-left of the product, in pixels. */
  at: { left: number; top: number };
  /** True on a dark set (a deeper shadow). */
  dark: boolean;
}

/** Where a product of this size stands in the shot (kept inside the frame). */
export function placeProduct(
  shot: PhotoShot,
  product: { width: number; height: number },
  w: number,
  h: number,
): { left: number; top: number } {
  const left = Math.round(shot.centreX * w - product.width / 2);
  const top = Math.round(shot.floorY * h - product.height);
  return {
    left: Math.max(0, Math.min(w - product.width, left)),
    top: Math.max(0, Math.min(h - product.height, top)),
  };
}

const MATERIAL_COLOUR: Record<SetMaterial, string> = {
  wood: '#8a5a3b',
  marble: '#e8e5e0',
  concrete: '#9c9a95',
  linen: '#d9d0c1',
  stone: '#6f6b66',
  paper: '#e9e5df',
  velvet: '#5a3550',
};

const MOOD_TINT = { warm: '#e9b57a', cool: '#9fb8d8', dark: '#000000', bright: '#ffffff' } as const;

interface SetColours {
  wall: string;
  floor: string;
  accent: string;
  dark: boolean;
}

function setColours(shot: PhotoShot, palette: readonly string[]): SetColours {
  const asked = shot.colours;
  let wall = asked[0] ?? palette[0] ?? '#e8e4df';
  let accent = asked[1] ?? palette[2] ?? lighten(wall, 0.3);
  let floor =
    shot.material === 'none' || shot.material === 'paper'
      ? darken(wall, 0.12)
      : asked.length > 0
        ? mix(MATERIAL_COLOUR[shot.material], asked[1] ?? asked[0]!, 0.45)
        : MATERIAL_COLOUR[shot.material];
  if (shot.mood === 'warm' || shot.mood === 'cool') {
    wall = mix(wall, MOOD_TINT[shot.mood], 0.2);
    floor = mix(floor, MOOD_TINT[shot.mood], 0.12);
  }
  if (shot.mood === 'bright') {
    wall = lighten(wall, 0.25);
    floor = lighten(floor, 0.1);
  }
  const dark = shot.mood === 'dark' || shot.backdrop === 'lowkey';
  if (dark) {
    // A colour the prompt asked for stays recognisable in the dark.
    wall = darken(wall, asked.length > 0 ? 0.45 : luminance(wall) > 0.1 ? 0.78 : 0.4);
    floor = darken(floor, asked.length > 0 ? 0.35 : 0.55);
    accent = darken(accent, 0.2);
  }
  return { wall, floor, accent, dark };
}

/** A material's surface pattern over the floor's polygon (clipped to it). */
function texture(
  defs: Defs,
  material: PhotoShot['material'],
  c: SetColours,
  floor: string,
  w: number,
  h: number,
  top: number,
) {
  const clip = defs.clip(floor);
  if (material === 'wood') {
    const lines = Array.from({ length: 14 }, (_, i) => {
      const x = (i / 13) * w * 1.6 - w * 0.3;
      return `<line x1="${n(w / 2 + (x - w / 2) * 0.6)}" y1="${n(top)}" x2="${n(x)}" y2="${n(h)}" stroke="${darken(c.floor, 0.25)}" stroke-width="${n(w * 0.004)}" opacity="0.55"/>`;
    }).join('');
    const grain = defs.add(
      'gr',
      (i) =>
        `<filter id="${i}"><feTurbulence type="fractalNoise" baseFrequency="0.004 0.08" numOctaves="2" seed="3"/><feColorMatrix values="0 0 0 0 0.2 0 0 0 0 0.12 0 0 0 0 0.05 0 0 0 0.35 0"/></filter>`,
    );
    return `<g clip-path="${clip}"><rect y="${n(top)}" width="${w}" height="${n(h - top)}" filter="url(#${grain})"/>${lines}</g>`;
  }
  if (material === 'marble') {
    const blur = defs.blur(w * 0.002);
    const veins = [0.1, 0.35, 0.62, 0.85]
      .map(
        (f, i) =>
          `<path d="M${n(w * f)} ${n(top)}C${n(w * (f + 0.15))} ${n(top + (h - top) * 0.3)} ${n(w * (f - 0.1))} ${n(top + (h - top) * 0.6)} ${n(w * (f + 0.08 * (i % 2 ? 1 : -1)))} ${n(h)}" stroke="${darken(c.floor, 0.35)}" stroke-width="${n(w * 0.003)}" fill="none" opacity="0.5"/>`,
      )
      .join('');
    return `<g clip-path="${clip}" filter="${blur}">${veins}</g>`;
  }
  if (material === 'concrete' || material === 'stone' || material === 'linen') {
    const freq = material === 'linen' ? '0.25 0.02' : material === 'stone' ? '0.03' : '0.9';
    const noise = defs.add(
      'nz',
      (i) =>
        `<filter id="${i}"><feTurbulence type="fractalNoise" baseFrequency="${freq}" numOctaves="3" seed="7"/><feColorMatrix values="0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 ${material === 'linen' ? 0.25 : 0.3} 0"/></filter>`,
    );
    return `<g clip-path="${clip}"><rect y="${n(top)}" width="${w}" height="${n(h - top)}" filter="url(#${noise})"/></g>`;
  }
  return '';
}

/** Light through a window: bright panes slanting from the light's side onto the wall and floor. */
function windowLight(defs: Defs, shot: PhotoShot, w: number, h: number, floorY: number) {
  const blur = defs.blur(w * 0.012);
  const fromLeft = shot.lightSide < 0;
  const slant = w * (0.25 + (1 - shot.lightHeight) * 0.3) * (fromLeft ? 1 : -1);
  const panes = [0, 1, 2]
    .map((i) => {
      const x = fromLeft ? w * (0.02 + i * 0.13) : w * (0.72 - i * 0.13);
      const pw = w * 0.09;
      return `<path d="M${n(x)} ${n(h * 0.05)}H${n(x + pw)}L${n(x + pw + slant)} ${n(floorY)}H${n(x + slant)}Z" fill="${shot.lightColour}" opacity="${n(0.12 + shot.lightStrength * 0.2)}"/>`;
    })
    .join('');
  return `<g filter="${blur}">${panes}</g>`;
}

function bokehDiscs(
  defs: Defs,
  shot: PhotoShot,
  c: SetColours,
  w: number,
  h: number,
  random: () => number,
) {
  const blur = defs.blur(Math.min(w, h) * 0.012);
  return `<g filter="${blur}">${Array.from({ length: 12 }, () => {
    const r = Math.min(w, h) * (0.03 + random() * 0.07);
    return `<circle cx="${n(random() * w)}" cy="${n(random() * h * 0.7)}" r="${n(r)}" fill="${mix(shot.lightColour, c.accent, random() * 0.5)}" opacity="${n(0.18 + random() * 0.25)}"/>`;
  }).join('')}</g>`;
}

/** One prop standing on the floor at (x, floorY), about `s` tall. */
function prop(
  defs: Defs,
  kind: PropKind,
  c: SetColours,
  shot: PhotoShot,
  x: number,
  floorY: number,
  s: number,
): string {
  const shadow = `<ellipse cx="${n(x - shot.lightSide * s * 0.15)}" cy="${n(floorY)}" rx="${n(s * 0.45)}" ry="${n(s * 0.06)}" fill="#000" opacity="0.22"/>`;
  const shade = (colour: string) =>
    defs.radial(
      [
        { offset: 0, color: lighten(colour, 0.45) },
        { offset: 0.65, color: colour },
        { offset: 1, color: darken(colour, 0.35) },
      ],
      0.5 + shot.lightSide * 0.2,
      0.35,
      0.7,
    );
  switch (kind) {
    case 'plant': {
      const pot = `<path d="M${n(x - s * 0.18)} ${n(floorY - s * 0.3)}H${n(x + s * 0.18)}L${n(x + s * 0.14)} ${n(floorY)}H${n(x - s * 0.14)}Z" fill="${mix(c.floor, '#c9b8a0', 0.5)}"/>`;
      const leaves = [-0.5, -0.2, 0.15, 0.45, 0]
        .map(
          (a, i) =>
            `<ellipse cx="${n(x + a * s * 0.5)}" cy="${n(floorY - s * (0.55 + (i % 3) * 0.15))}" rx="${n(s * 0.09)}" ry="${n(s * 0.24)}" transform="rotate(${n(a * 50)} ${n(x + a * s * 0.5)} ${n(floorY - s * (0.55 + (i % 3) * 0.15))})" fill="${i % 2 ? '#3f7a4a' : '#5c9a5e'}"/>`,
        )
        .join('');
      return shadow + leaves + pot;
    }
    case 'flowers': {
      const vase = `<rect x="${n(x - s * 0.1)}" y="${n(floorY - s * 0.35)}" width="${n(s * 0.2)}" height="${n(s * 0.35)}" rx="${n(s * 0.05)}" fill="${lighten(c.accent, 0.3)}" opacity="0.9"/>`;
      const stems = [-0.15, 0, 0.15]
        .map(
          (a) =>
            `<line x1="${n(x)}" y1="${n(floorY - s * 0.3)}" x2="${n(x + a * s)}" y2="${n(floorY - s * 0.85)}" stroke="#4f7a45" stroke-width="${n(s * 0.02)}"/><circle cx="${n(x + a * s)}" cy="${n(floorY - s * 0.88)}" r="${n(s * 0.08)}" fill="${shade(mix(c.accent, '#e88aa0', 0.5))}"/>`,
        )
        .join('');
      return shadow + stems + vase;
    }
    case 'pebbles':
      return (
        shadow +
        [-0.25, 0.05, 0.3]
          .map(
            (a, i) =>
              `<ellipse cx="${n(x + a * s)}" cy="${n(floorY - s * 0.06)}" rx="${n(s * (0.16 - i * 0.03))}" ry="${n(s * (0.08 - i * 0.012))}" fill="${shade(mix('#8c8780', c.floor, 0.3))}"/>`,
          )
          .join('')
      );
    case 'books':
      return (
        shadow +
        [0, 1, 2]
          .map(
            (i) =>
              `<rect x="${n(x - s * (0.45 - i * 0.04))}" y="${n(floorY - s * 0.1 * (i + 1))}" width="${n(s * (0.9 - i * 0.08))}" height="${n(s * 0.1)}" rx="${n(s * 0.01)}" fill="${[c.accent, lighten(c.floor, 0.5), darken(c.accent, 0.3)][i]}"/>`,
          )
          .join('')
      );
    case 'candle': {
      const glow = defs.radial([
        { offset: 0, color: '#ffd08a', opacity: 0.7 },
        { offset: 1, color: '#ffd08a', opacity: 0 },
      ]);
      return (
        shadow +
        `<circle cx="${n(x)}" cy="${n(floorY - s * 0.62)}" r="${n(s * 0.5)}" fill="${glow}"/>` +
        `<rect x="${n(x - s * 0.12)}" y="${n(floorY - s * 0.5)}" width="${n(s * 0.24)}" height="${n(s * 0.5)}" fill="${shade('#f1e6d2')}"/>` +
        `<ellipse cx="${n(x)}" cy="${n(floorY - s * 0.6)}" rx="${n(s * 0.03)}" ry="${n(s * 0.08)}" fill="#ffcf6a"/>`
      );
    }
    case 'fruit':
      return (
        shadow +
        [-0.18, 0.16]
          .map(
            (a) =>
              `<circle cx="${n(x + a * s)}" cy="${n(floorY - s * 0.16)}" r="${n(s * 0.16)}" fill="${shade('#e7b531')}"/>`,
          )
          .join('')
      );
    case 'spheres':
      return (
        shadow +
        `<circle cx="${n(x)}" cy="${n(floorY - s * 0.25)}" r="${n(s * 0.25)}" fill="${shade(c.accent)}"/>` +
        `<rect x="${n(x + s * 0.2)}" y="${n(floorY - s * 0.55)}" width="${n(s * 0.3)}" height="${n(s * 0.55)}" fill="${shade(mix(c.wall, c.accent, 0.4))}"/>`
      );
  }
}

/** Places the props where the product is not: beside it, the roomier side first. */
function placeProps(
  defs: Defs,
  shot: PhotoShot,
  c: SetColours,
  at: { left: number; top: number },
  product: { width: number; height: number },
  w: number,
  floorY: number,
  h: number,
): string {
  const size = Math.min(w, h) * 0.24;
  const leftRoom = at.left;
  const rightRoom = w - (at.left + product.width);
  const sides = leftRoom >= rightRoom ? ['left', 'right'] : ['right', 'left'];
  return shot.props
    .slice(0, 2)
    .map((kind, i) => {
      const side = sides[i % 2];
      const room = side === 'left' ? leftRoom : rightRoom;
      const s = Math.max(size * 0.7, Math.min(size, room * 1.2));
      // In the free side's middle, or tucked half behind the product's edge when there is no room.
      const reach = Math.max(room / 2, s * 0.2);
      const x = side === 'left' ? at.left - reach : at.left + product.width + reach;
      // Behind the product's plane (a little up the floor) so it reads as depth, not clutter.
      return prop(defs, kind, c, shot, x, floorY - h * 0.02, s);
    })
    .join('');
}

export function drawPhotoSet(input: {
  shot: PhotoShot;
  palette: readonly string[];
  width: number;
  height: number;
  product: { width: number; height: number };
  random: () => number;
}): PhotoSet {
  const { shot, width: w, height: h, product } = input;
  const defs = new Defs('p');
  const c = setColours(shot, input.palette);
  const at = placeProduct(shot, product, w, h);
  const floorY = at.top + product.height;
  const horizon =
    shot.backdrop === 'tabletop'
      ? Math.min(floorY - h * 0.2, h * 0.5)
      : shot.backdrop === 'sweep'
        ? floorY - h * 0.12
        : floorY - h * 0.16;
  const lx = 0.5 + shot.lightSide * 0.3;
  const wallFill = defs.radial(
    [
      { offset: 0, color: mix(lighten(c.wall, c.dark ? 0.2 : 0.4), shot.lightColour, 0.3) },
      { offset: 0.6, color: c.wall },
      { offset: 1, color: darken(c.wall, c.dark ? 0.5 : 0.2) },
    ],
    lx,
    0.2 + (1 - shot.lightHeight) * 0.3,
    0.9,
  );
  const layers: string[] = [`<rect width="${w}" height="${h}" fill="${wallFill}"/>`];
  if (shot.backdrop === 'window') layers.push(windowLight(defs, shot, w, h, horizon));
  if (shot.backdrop === 'bokeh') layers.push(bokehDiscs(defs, shot, c, w, h, input.random));
  // The floor in perspective: its far edge narrower by the camera's tilt.
  const inset = w * shot.tilt * 0.5;
  const floorShape = `<path d="M${n(-inset)} ${n(horizon)}H${n(w + inset)}L${n(w + inset * 3)} ${n(h)}H${n(-inset * 3)}Z"/>`;
  if (shot.backdrop !== 'bokeh') {
    const floorFill = defs.linear(
      [
        { offset: 0, color: mix(c.floor, c.wall, shot.backdrop === 'sweep' ? 0.6 : 0.15) },
        { offset: 1, color: darken(c.floor, c.dark ? 0.4 : 0.12) },
      ],
      0,
      0,
      0,
      1,
    );
    const soft = shot.backdrop === 'sweep' ? defs.blur(h * 0.03) : undefined;
    layers.push(
      `<rect x="${n(-w)}" y="${n(horizon)}" width="${n(w * 3)}" height="${n(h - horizon + 10)}" fill="${floorFill}"${soft ? ` filter="${soft}"` : ''}/>`,
    );
    layers.push(
      texture(
        defs,
        shot.material,
        c,
        floorShape.replace('<path', `<path fill="#000"`),
        w,
        h,
        horizon,
      ),
    );
  }
  if (shot.backdrop === 'pedestal') {
    const pw = Math.max(product.width * 1.15, w * 0.22);
    const ph = h - floorY - h * 0.06;
    const cx = at.left + product.width / 2;
    const side = defs.linear([
      { offset: 0, color: lighten(c.floor, shot.lightSide < 0 ? 0.3 : 0) },
      { offset: 0.5, color: lighten(c.floor, 0.12) },
      { offset: 1, color: darken(c.floor, shot.lightSide < 0 ? 0.25 : 0) },
    ]);
    layers.push(
      `<rect x="${n(cx - pw / 2)}" y="${n(floorY)}" width="${n(pw)}" height="${n(ph)}" fill="${side}"/><ellipse cx="${n(cx)}" cy="${n(floorY)}" rx="${n(pw / 2)}" ry="${n(pw * 0.06)}" fill="${lighten(c.floor, 0.3)}"/>`,
    );
  }
  // The key light's pool on the floor, in its colour, off towards the light's side.
  const pool = defs.radial([
    { offset: 0, color: shot.lightColour, opacity: shot.lightStrength * (c.dark ? 0.5 : 0.45) },
    { offset: 1, color: shot.lightColour, opacity: 0 },
  ]);
  layers.push(
    `<ellipse cx="${n(at.left + product.width / 2 + shot.lightSide * w * 0.08)}" cy="${n(floorY)}" rx="${n(w * 0.45)}" ry="${n(h * 0.1)}" fill="${pool}"/>`,
  );
  layers.push(placeProps(defs, shot, c, at, product, w, floorY, h));
  const vignette = defs.radial(
    [
      { offset: 0.55, color: '#000', opacity: 0 },
      { offset: 1, color: '#000', opacity: c.dark ? 0.55 : 0.25 },
    ],
    0.5,
    0.5,
    0.75,
  );
  layers.push(`<rect width="${w}" height="${h}" fill="${vignette}"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${defs.toString()}${layers.join('')}</svg>`;
  return { svg, at, dark: c.dark };
}
