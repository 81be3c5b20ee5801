import { darken, lighten, mix } from '../colour';

/** Small SVG-building helpers. Numbers are rounded so the markup, and so the PNG, is stable. */

export const n = (v: number) => (Math.round(v * 100) / 100).toString();

export interface Stop {
  offset: number;
  color: string;
  opacity?: number;
}

/** Collects <defs> with ids numbered in creation order, which keeps output deterministic. */
export class Defs {
  private readonly items: string[] = [];
  private counter = 0;

  constructor(private readonly prefix: string) {}

  private id(kind: string): string {
    this.counter += 1;
    return `${this.prefix}${kind}${this.counter}`;
  }

  add(kind: string, build: (id: string) => string): string {
    const id = this.id(kind);
    this.items.push(build(id));
    return id;
  }

  linear(stops: readonly Stop[], x1 = 0, y1 = 0, x2 = 1, y2 = 0): string {
    const id = this.add(
      'lg',
      (i) =>
        `<linearGradient id="${i}" x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}">${stopsSvg(stops)}</linearGradient>`,
    );
    return `url(#${id})`;
  }

  radial(stops: readonly Stop[], cx = 0.5, cy = 0.5, r = 0.5, fx = cx, fy = cy): string {
    const id = this.add(
      'rg',
      (i) =>
        `<radialGradient id="${i}" cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fx="${n(fx)}" fy="${n(fy)}">${stopsSvg(stops)}</radialGradient>`,
    );
    return `url(#${id})`;
  }

  blur(std: number): string {
    const id = this.add(
      'bl',
      (i) =>
        `<filter id="${i}" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${n(std)}"/></filter>`,
    );
    return `url(#${id})`;
  }

  clip(shape: string): string {
    const id = this.add('cp', (i) => `<clipPath id="${i}">${shape}</clipPath>`);
    return `url(#${id})`;
  }

  toString(): string {
    return `<defs>${this.items.join('')}</defs>`;
  }
}

function stopsSvg(stops: readonly Stop[]): string {
  return stops
    .map(
      (s) =>
        `<stop offset="${n(s.offset)}" stop-color="${s.color}"${s.opacity === undefined ? '' : ` stop-opacity="${n(s.opacity)}"`}/>`,
    )
    .join('');
}

/** How a surface responds to light; drawers read it to shade bodies and add specular marks. */
export interface Finish {
  /** 0..1, how far shadows darken and highlights lighten the base colour. */
  contrast: number;
  /** Opacity of the sharp specular streak (0 = none). */
  specular: number;
  /** Metal gets banded reflections instead of a single soft highlight. */
  banded: boolean;
  /** Body opacity; glass lets the backdrop through. */
  opacity: number;
  texture: 'none' | 'mesh' | 'canvas' | 'grain';
  stitched: boolean;
}

export function finishFor(material: string): Finish {
  const base: Finish = {
    contrast: 0.35,
    specular: 0.25,
    banded: false,
    opacity: 1,
    texture: 'none',
    stitched: false,
  };
  switch (material) {
    case 'glossy':
    case 'ceramic':
    case 'plastic':
      return { ...base, contrast: 0.4, specular: 0.75 };
    case 'metal':
      return { ...base, contrast: 0.55, specular: 0.8, banded: true };
    case 'glass':
      return { ...base, contrast: 0.35, specular: 0.85, opacity: 0.82 };
    case 'matte':
      return { ...base, contrast: 0.28, specular: 0.08 };
    case 'suede':
      return { ...base, contrast: 0.25, specular: 0, texture: 'grain', stitched: true };
    case 'leather':
      return { ...base, contrast: 0.38, specular: 0.35, stitched: true };
    case 'mesh':
      return { ...base, contrast: 0.32, specular: 0.15, texture: 'mesh' };
    case 'canvas':
      return { ...base, contrast: 0.3, specular: 0.05, texture: 'canvas', stitched: true };
    case 'wood':
      return { ...base, contrast: 0.3, specular: 0.2, texture: 'grain' };
    default:
      return base;
  }
}

/** Everything a product drawer needs to know about colour, finish and light. */
export class Paint {
  constructor(
    readonly defs: Defs,
    readonly base: string,
    readonly accent: string,
    readonly finish: Finish,
    /** -1 light from the left, 1 from the right. */
    readonly lightSide: number,
  ) {}

  /**
   * Horizontal body shading for round forms: shadowed edges, the base colour across the
   * middle, a highlight on the lit side. `colour` defaults to the product colour.
   */
  body(colour = this.base, vertical = false): string {
    const c = this.finish.contrast;
    const lit = this.lightSide < 0 ? 0.28 : 0.72;
    const dark = darken(colour, c);
    const light = lighten(colour, c * 0.9);
    const stops: Stop[] = this.finish.banded
      ? [
          { offset: 0, color: dark },
          { offset: 0.15, color: lighten(colour, c * 0.6) },
          { offset: 0.3, color: darken(colour, c * 0.4) },
          { offset: lit, color: lighten(colour, c) },
          { offset: 0.82, color: colour },
          { offset: 1, color: darken(colour, c * 1.1) },
        ]
      : [
          { offset: 0, color: this.lightSide < 0 ? mix(colour, light, 0.3) : dark },
          { offset: Math.min(lit, 0.5) - 0.12, color: colour },
          { offset: lit, color: light },
          { offset: Math.max(lit, 0.5) + 0.12, color: colour },
          { offset: 1, color: this.lightSide < 0 ? dark : mix(colour, light, 0.3) },
        ];
    return vertical ? this.defs.linear(stops, 0, 0, 0, 1) : this.defs.linear(stops);
  }

  /** Top-lit flat surface: lighter at the top edge, base colour below. */
  flat(colour = this.base): string {
    const c = this.finish.contrast;
    return this.defs.linear(
      [
        { offset: 0, color: lighten(colour, c * 0.7) },
        { offset: 0.45, color: colour },
        { offset: 1, color: darken(colour, c * 0.8) },
      ],
      0,
      0,
      0,
      1,
    );
  }

  /** A soft white streak for glossy, glass and metal surfaces. */
  streak(x: number, y: number, w: number, h: number, scale = 1): string {
    const o = this.finish.specular * scale;
    if (o <= 0.02) return '';
    const fill = this.defs.linear(
      [
        { offset: 0, color: '#ffffff', opacity: 0 },
        { offset: 0.5, color: '#ffffff', opacity: o },
        { offset: 1, color: '#ffffff', opacity: 0 },
      ],
      0,
      0,
      1,
      0,
    );
    return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="${n(w / 2)}" fill="${fill}"/>`;
  }

  /** Texture overlay clipped to a shape (mesh dots, canvas weave, grain). */
  texture(shape: string, scale: number): string {
    const t = this.finish.texture;
    if (t === 'none') return '';
    const s = 10 * scale;
    const ink = darken(this.base, 0.5);
    const cell =
      t === 'mesh'
        ? `<circle cx="${n(s / 2)}" cy="${n(s / 2)}" r="${n(s * 0.22)}" fill="${ink}" opacity="0.35"/>`
        : t === 'canvas'
          ? `<path d="M0 ${n(s / 2)}H${n(s)}M${n(s / 2)} 0V${n(s)}" stroke="${ink}" stroke-width="${n(s * 0.12)}" opacity="0.22"/>`
          : `<path d="M0 ${n(s * 0.3)}Q${n(s / 2)} 0 ${n(s)} ${n(s * 0.3)}" stroke="${ink}" fill="none" stroke-width="${n(s * 0.08)}" opacity="0.2"/>`;
    const pattern = this.defs.add(
      'pt',
      (i) =>
        `<pattern id="${i}" width="${n(s)}" height="${n(s)}" patternUnits="userSpaceOnUse">${cell}</pattern>`,
    );
    const clip = this.defs.clip(shape);
    return `<g clip-path="${clip}"><rect x="-2000" y="-2000" width="6000" height="6000" fill="url(#${pattern})"/></g>`;
  }

  /** Dashed stitching along a path, for leather, suede and canvas. */
  stitch(d: string, width: number): string {
    if (!this.finish.stitched) return '';
    return `<path d="${d}" fill="none" stroke="${lighten(this.base, 0.55)}" stroke-width="${n(width)}" stroke-dasharray="${n(width * 3)} ${n(width * 2.2)}" stroke-linecap="round" opacity="0.75"/>`;
  }
}

/** A product drawn in its own units, with the ground at y = height. */
export interface Drawing {
  svg: string;
  width: number;
  height: number;
  /** Points (in drawing units) a detail shot can zoom into, keyed by feature word. */
  focus: Record<string, { x: number; y: number }>;
}

export type DrawView = 'front' | 'side' | 'back' | 'top';

export type Drawer = (view: DrawView, paint: Paint) => Drawing;
