import { darken, lighten, mix } from '../colour';
import type { Defs } from './svg';
import { n } from './svg';

/**
 * The set behind the product: wall, floor, light pool and props. Which variant is drawn comes
 * from keywords in the style's backdrop text, so one session keeps one backdrop family.
 */

export interface SetLook {
  wall: string;
  shade: string;
  accent: string;
  /** -1 light from the left, 1 from the right. */
  lightSide: number;
  reflective: boolean;
  podium: boolean;
  dark: boolean;
}

export function readSetLook(
  palette: readonly string[],
  backdrop: string,
  lighting: string,
): SetLook {
  const text = `${backdrop} ${lighting}`.toLowerCase();
  const wall = palette[0] ?? '#e8e4df';
  return {
    wall,
    shade: palette[1] ?? darken(wall, 0.25),
    accent: palette[2] ?? lighten(wall, 0.3),
    lightSide: /\bleft\b/.test(lighting.toLowerCase()) ? -1 : 1,
    reflective: /reflective|glossy floor|mirror/.test(text),
    podium: /podium|pedestal/.test(text),
    dark: /dark|spotlight/.test(text),
  };
}

/** Wall, floor and a soft light pool for eye-level views; floorY is where the product stands. */
export function studioSet(defs: Defs, look: SetLook, w: number, h: number, floorY: number): string {
  const lx = 0.5 + look.lightSide * 0.22;
  const wallFill = defs.radial(
    [
      { offset: 0, color: lighten(look.wall, look.dark ? 0.18 : 0.45) },
      { offset: 0.55, color: look.wall },
      { offset: 1, color: mix(look.wall, look.shade, 0.7) },
    ],
    lx,
    0.25,
    0.85,
  );
  const floorFill = defs.linear(
    [
      { offset: 0, color: mix(look.wall, look.shade, 0.35) },
      { offset: 1, color: look.dark ? darken(look.shade, 0.3) : look.shade },
    ],
    0,
    0,
    0,
    1,
  );
  const horizon = floorY - h * 0.08;
  const seam = defs.blur(h * 0.025);
  const pool = defs.radial([
    { offset: 0, color: '#ffffff', opacity: look.dark ? 0.35 : 0.4 },
    { offset: 1, color: '#ffffff', opacity: 0 },
  ]);
  return [
    `<rect width="${w}" height="${h}" fill="${wallFill}"/>`,
    `<rect y="${n(horizon)}" width="${w}" height="${n(h - horizon)}" fill="${floorFill}"/>`,
    `<rect x="-50" y="${n(horizon - h * 0.03)}" width="${w + 100}" height="${n(h * 0.06)}" fill="${mix(look.wall, look.shade, 0.2)}" filter="${seam}" opacity="0.8"/>`,
    `<ellipse cx="${n(w / 2)}" cy="${n(floorY)}" rx="${n(w * 0.42)}" ry="${n(h * 0.12)}" fill="${pool}"/>`,
  ].join('');
}

/** A flat surface seen from above, for top-down shots. */
export function tabletop(defs: Defs, look: SetLook, w: number, h: number): string {
  const fill = defs.radial(
    [
      { offset: 0, color: lighten(look.wall, look.dark ? 0.15 : 0.35) },
      { offset: 0.7, color: look.wall },
      { offset: 1, color: mix(look.wall, look.shade, 0.6) },
    ],
    0.5 + look.lightSide * 0.15,
    0.4,
    0.8,
  );
  return `<rect width="${w}" height="${h}" fill="${fill}"/>`;
}

/** Soft out-of-focus discs, for close-ups and lifestyle shots. */
export function bokeh(
  defs: Defs,
  look: SetLook,
  w: number,
  h: number,
  random: () => number,
): string {
  const blur = defs.blur(h * 0.012);
  const discs = Array.from({ length: 9 }, () => {
    const r = h * (0.03 + random() * 0.06);
    return `<circle cx="${n(random() * w)}" cy="${n(random() * h * 0.6)}" r="${n(r)}" fill="${lighten(look.wall, 0.6)}" opacity="${n(0.15 + random() * 0.2)}"/>`;
  }).join('');
  return `<g filter="${blur}">${discs}</g>`;
}

/** A cylinder plinth whose top is at `top`; returns its markup. */
export function pedestal(
  defs: Defs,
  look: SetLook,
  cx: number,
  top: number,
  width: number,
  height: number,
): string {
  const side = defs.linear([
    { offset: 0, color: look.lightSide < 0 ? lighten(look.wall, 0.35) : darken(look.wall, 0.2) },
    { offset: 0.5, color: lighten(look.wall, 0.15) },
    { offset: 1, color: look.lightSide < 0 ? darken(look.wall, 0.22) : lighten(look.wall, 0.3) },
  ]);
  const rx = width / 2;
  const ry = width * 0.09;
  return [
    `<path d="M${n(cx - rx)} ${n(top)}V${n(top + height)}A${n(rx)} ${n(ry)} 0 0 0 ${n(cx + rx)} ${n(top + height)}V${n(top)}Z" fill="${side}"/>`,
    `<ellipse cx="${n(cx)}" cy="${n(top)}" rx="${n(rx)}" ry="${n(ry)}" fill="${lighten(look.wall, 0.4)}"/>`,
  ].join('');
}

/** Sculptural props (sphere, arch, block) placed around the product for lifestyle shots. */
export function props(
  defs: Defs,
  look: SetLook,
  w: number,
  h: number,
  floorY: number,
  variant: number,
): string {
  const sphereFill = defs.radial(
    [
      { offset: 0, color: lighten(look.accent, 0.5) },
      { offset: 0.6, color: look.accent },
      { offset: 1, color: darken(look.accent, 0.35) },
    ],
    0.5 - look.lightSide * -0.15,
    0.35,
    0.65,
  );
  const blockFill = defs.linear(
    [
      { offset: 0, color: lighten(look.shade, 0.25) },
      { offset: 1, color: look.shade },
    ],
    0,
    0,
    0,
    1,
  );
  const archR = h * 0.36;
  const arch = `<path d="M${n(w * 0.5 - archR)} ${n(floorY)}V${n(floorY - h * 0.35)}A${n(archR)} ${n(archR)} 0 0 1 ${n(w * 0.5 + archR)} ${n(floorY - h * 0.35)}V${n(floorY)}Z" fill="${mix(look.wall, look.accent, 0.25)}" opacity="0.85"/>`;
  const sr = h * 0.09;
  const sphere = (x: number, r: number, ground = floorY) =>
    `<ellipse cx="${n(x)}" cy="${n(ground + r * 0.05)}" rx="${n(r * 1.1)}" ry="${n(r * 0.18)}" fill="#000" opacity="0.18"/><circle cx="${n(x)}" cy="${n(ground - r)}" r="${n(r)}" fill="${sphereFill}"/>`;
  const block = (x: number, bw: number, bh: number) =>
    `<rect x="${n(x)}" y="${n(floorY - bh)}" width="${n(bw)}" height="${n(bh)}" rx="${n(bw * 0.04)}" fill="${blockFill}"/>`;
  if (variant === 0) {
    return [
      arch,
      block(w * 0.74, w * 0.08, h * 0.22),
      sphere(w * 0.2, sr),
      sphere(w * 0.86, sr * 0.55),
    ].join('');
  }
  const shaft = defs.blur(h * 0.02);
  const beams = [0, 1, 2]
    .map((i) => {
      const x = w * (0.15 + i * 0.14) + (look.lightSide < 0 ? 0 : w * 0.3);
      return `<path d="M${n(x)} 0H${n(x + w * 0.07)}L${n(x + w * 0.2)} ${n(floorY)}H${n(x + w * 0.13)}Z" fill="#ffffff" opacity="0.16"/>`;
    })
    .join('');
  return [
    `<g filter="${shaft}">${beams}</g>`,
    sphere(w * 0.82, sr * 0.8),
    block(w * 0.1, w * 0.1, h * 0.13),
    sphere(w * 0.15, sr * 0.45, floorY - h * 0.13),
  ].join('');
}
