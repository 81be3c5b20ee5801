import type { CameraMove } from '../../../core/options';

/**
 * FFmpeg filter graphs for the camera moves. Every expensive step (fitting, blurring, building
 * masks and light bands) runs once on the single decoded still; only then is the frame looped,
 * so the per-frame work is a crop, a scale or an overlay. That keeps a 3 s 1080p clip fast.
 */

export interface MoveSpec {
  motion: CameraMove;
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** 1 = normal travel; prompt words make it gentler or bolder. */
  intensity: number;
  /** Where the product is, as fractions of the frame; the local studio's widest set-up by default. */
  subject?: SubjectBox | undefined;
  /**
   * The product layer (input 1: the still's product pixels, transparent elsewhere) is laid over
   * moves that would otherwise veil or feather it (the light band, the parallax mask), so the
   * product stays exactly as composited through the whole clip.
   */
  productLayer?: boolean | undefined;
}

/** Half-extents of the product around the frame's centre, as fractions of width and height. */
export interface SubjectBox {
  halfWidth: number;
  halfHeight: number;
}

/**
 * The studio draws the product centred, at most 72 % of the width and 66 % of the height (the top
 * view, draw/scene.ts); standing views are smaller and sit on a floor at 80 % of the height, which
 * stays inside the same box. Close-up detail shots fill the frame on purpose and are not bound.
 */
export const STUDIO_SUBJECT: SubjectBox = { halfWidth: 0.36, halfHeight: 0.33 };

/** Share of the frame kept clear between the product and the edge at the extremes of a move. */
const EDGE_MARGIN = 0.02;

/**
 * The largest travel each move may use while the subject stays whole in the frame, at any aspect
 * (everything is in fractions of the frame, so the bounds hold for 16:9, 9:16 and 1:1 alike).
 * - zoom: the subject grows by z around the centre, so z * half-extent <= 0.5 - margin.
 * - pan: the still is enlarged by `over` and the window travels the whole excess; at either end
 *   the far edge of the subject sits at (0.5 + half) * over, which must stay <= 1 - margin.
 * - parallax: the foreground (1.12x) drifts by up to 1.6 * drift beyond its centred place.
 */
export function travelLimits(subject: SubjectBox): {
  zoom: number;
  panOver: number;
  parallaxDrift: number;
} {
  const room = 0.5 - EDGE_MARGIN;
  const half = Math.max(subject.halfWidth, subject.halfHeight);
  return {
    zoom: room / half,
    panOver: (1 - EDGE_MARGIN) / (0.5 + subject.halfWidth),
    parallaxDrift: Math.max(0, (room - subject.halfWidth * 1.12) / 1.6),
  };
}

const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);

/** Smoothstep of progress 0..1 over the clip: eases in and out so moves start and stop gently. */
function ease(frames: number): string {
  const p = `(n/${Math.max(1, frames - 1)})`;
  return `(${p}*${p}*(3-2*${p}))`;
}

/** The still fitted to cover the frame, then repeated `frames` times with proper timestamps. */
function fitted(label: string, w: number, h: number, pixFmt = 'yuv420p'): string {
  return `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=lanczos,crop=${w}:${h},setsar=1,format=${pixFmt}[${label}]`;
}

function loop(frames: number, fps: number): string {
  return `loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${fps}*TB)`;
}

/**
 * Scales every frame by `z` (an expression of n) and crops the centre back to w x h. The crop's
 * offsets are computed from `z` itself: crop reads `iw`/`ih` once, from the first frame, so
 * `(iw-w)/2` stays 0 while the scaled frames grow and the window slides to the top-left corner,
 * taking the product out of frame.
 */
function centredZoom(w: number, h: number, z: string): string {
  const sw = `2*trunc(${w}*${z}/2)`;
  const sh = `2*trunc(${h}*${z}/2)`;
  return (
    `scale=w='${sw}':h='${sh}':eval=frame:flags=bilinear,` +
    `crop=${w}:${h}:'(${sw}-${w})/2':'(${sh}-${h})/2'`
  );
}

/** The subject box of a product placed anywhere: its farthest extents from the frame's centre. */
export function subjectAround(box: { x: number; y: number; w: number; h: number }): SubjectBox {
  return {
    halfWidth: Math.max(Math.abs(box.x - 0.5), Math.abs(box.x + box.w - 0.5)),
    halfHeight: Math.max(Math.abs(box.y - 0.5), Math.abs(box.y + box.h - 0.5)),
  };
}

/** How far each move travels for this spec (shared by the graph and `stillToFrame`). */
function amounts(spec: MoveSpec) {
  const { width: w, height: h, intensity } = spec;
  const limits = travelLimits(spec.subject ?? STUDIO_SUBJECT);
  const over = Math.max(1, Math.min(1 + 0.14 * intensity, limits.panOver));
  return {
    zoom: Math.max(0, Math.min(0.14 * intensity, limits.zoom - 1)),
    panW: even(w * over),
    panH: even(h * over),
    fgW: even(w * 1.12),
    fgH: even(h * 1.12),
    drift: Math.round(w * Math.min(0.05 * intensity, limits.parallaxDrift)),
    sweepZoom: 0.04,
  };
}

/** Maps a point of the still to the clip's frame n: frame = scale * still + offset (pixels). */
export interface StillToFrame {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

/** Crop and overlay positions on 4:2:0 frames snap down to even pixels. */
const evenDown = (v: number) => Math.trunc(v) & ~1;

/** A still of w x h scaled to cover W x H and centre-cropped, as `fitted` does. */
function coverMap(w: number, h: number, W: number, H: number): StillToFrame {
  const s = Math.max(W / w, H / h);
  return {
    scaleX: s,
    scaleY: s,
    offsetX: -evenDown((Math.round(w * s) - W) / 2),
    offsetY: -evenDown((Math.round(h * s) - H) / 2),
  };
}

/**
 * Pure: where the still's pixels land in frame n of the move (the product is never warped, only
 * scaled and moved). Whole-pixel rounding of FFmpeg's crops may differ by a pixel or two.
 */
export function stillToFrame(spec: MoveSpec, n: number): StillToFrame {
  const { width: w, height: h, frames } = spec;
  const a = amounts(spec);
  const p = n / Math.max(1, frames - 1);
  const e = p * p * (3 - 2 * p);
  const zoomed = (z: number): StillToFrame => {
    const sw = 2 * Math.trunc((w * z) / 2);
    const sh = 2 * Math.trunc((h * z) / 2);
    return {
      scaleX: sw / w,
      scaleY: sh / h,
      offsetX: -evenDown((sw - w) / 2),
      offsetY: -evenDown((sh - h) / 2),
    };
  };
  switch (spec.motion) {
    case 'zoom_in':
      return zoomed(1 + a.zoom * e);
    case 'zoom_out':
      return zoomed(1 + a.zoom * (1 - e));
    case 'light_sweep':
      return zoomed(1 + a.sweepZoom * e);
    case 'pan_left':
    case 'pan_right': {
      const fit = coverMap(w, h, a.panW, a.panH);
      const travel = spec.motion === 'pan_right' ? e : 1 - e;
      return {
        ...fit,
        offsetX: fit.offsetX - evenDown((a.panW - w) * travel),
        offsetY: fit.offsetY - evenDown((a.panH - h) / 2),
      };
    }
    case 'parallax': {
      const fit = coverMap(w, h, a.fgW, a.fgH);
      return {
        ...fit,
        offsetX: fit.offsetX + evenDown((w - a.fgW) / 2 - a.drift * 1.6 * (1 - 2 * e)),
        offsetY: fit.offsetY + evenDown((h - a.fgH) / 2),
      };
    }
  }
}

export function buildFilterGraph(spec: MoveSpec): string {
  const { width: w, height: h, fps, frames } = spec;
  const a = amounts(spec);
  const e = ease(frames);
  // Frames are converted to YUV before the loop, so no per-frame colour conversion remains.
  const out = 'format=yuv420p[v]';
  switch (spec.motion) {
    case 'zoom_in':
    case 'zoom_out': {
      const amount = a.zoom.toFixed(4);
      const z = spec.motion === 'zoom_in' ? `(1+${amount}*${e})` : `(1+${amount}*(1-${e}))`;
      // Scaling the whole frame by a float factor each frame, then centre-cropping, gives a
      // continuous zoom; zoompan would snap the crop window to whole pixels and judder.
      return [
        `[0:v]${fitted('base', w, h)}`,
        `[base]${loop(frames, fps)},${centredZoom(w, h, z)},${out}`,
      ].join(';');
    }
    case 'pan_left':
    case 'pan_right': {
      const pw = a.panW;
      const ph = a.panH;
      const x = spec.motion === 'pan_right' ? `(iw-ow)*${e}` : `(iw-ow)*(1-${e})`;
      return [
        `[0:v]${fitted('base', pw, ph)}`,
        `[base]${loop(frames, fps)},crop=${w}:${h}:'${x}':'(ih-oh)/2',${out}`,
      ].join(';');
    }
    case 'parallax': {
      const bw = even(w * 1.3);
      const bh = even(h * 1.3);
      const fw = a.fgW;
      const fh = a.fgH;
      const drift = a.drift;
      const fgX = `(${w}-${fw})/2-${drift * 1.6}*(1-2*${e})`;
      // Background: enlarged and blurred, drifting one way. Foreground: a sharper, feathered
      // centre (where the product sits) drifting the other way, further. The speed difference
      // reads as depth.
      return [
        `[0:v]split=2[s0][s1]`,
        `[s0]${fitted('bgfit', bw, bh)}`,
        `[bgfit]boxblur=luma_radius=${Math.round(h / 90)}:luma_power=2,${loop(frames, fps)},crop=${w}:${h}:'(iw-ow)/2+${drift}*(1-2*${e})':'(ih-oh)/2'[bg]`,
        `color=black:s=64x36,format=gray,geq=lum='255*clip((1-pow(abs(X-31.5)/30,4)-pow(abs(Y-17.5)/16.5,4))*2.5,0,1)',scale=${fw}:${fh}:flags=bicubic[mask]`,
        `[s1]${fitted('fgfit', fw, fh, 'yuva420p')}`,
        `[fgfit][mask]alphamerge,${loop(frames, fps)}[fg]`,
        ...(spec.productLayer
          ? [
              `[bg][fg]overlay=x='${fgX}':y='(${h}-${fh})/2':eval=frame:shortest=1:format=yuv420[scene]`,
              `[1:v]${fitted('pfit', fw, fh, 'yuva420p')}`,
              `[pfit]${loop(frames, fps)}[product]`,
              `[scene][product]overlay=x='${fgX}':y='(${h}-${fh})/2':eval=frame:shortest=1:format=yuv420,${out}`,
            ]
          : [
              `[bg][fg]overlay=x='${fgX}':y='(${h}-${fh})/2':eval=frame:shortest=1:format=yuv420,${out}`,
            ]),
      ].join(';');
    }
    case 'light_sweep': {
      const bandW = even(w * 0.32);
      const bandH = even(h * 1.8);
      const strength = Math.round(Math.min(200, 120 * spec.intensity));
      const zoom = centredZoom(w, h, `(1+${a.sweepZoom}*${e})`);
      // A soft Gaussian stripe, tilted, crossing the frame once; a slow 4% push-in keeps the
      // still from looking frozen under it.
      return [
        `[0:v]${fitted('base', w, h)}`,
        `color=black:s=64x64,format=rgba,geq=r=255:g=250:b=240:a='${strength}*exp(-pow((X-32)/8,2))',scale=${bandW}:${bandH}:flags=bicubic,rotate=0.32:c=none:ow=rotw(0.32):oh=roth(0.32),format=yuva420p,${loop(frames, fps)}[band]`,
        `[base]${loop(frames, fps)},${zoom}[moving]`,
        ...(spec.productLayer
          ? [
              `[moving][band]overlay=x='-w+(${w}+w)*${e}':y='(${h}-h)/2':eval=frame:shortest=1:format=yuv420[swept]`,
              `[1:v]${fitted('pfit', w, h, 'yuva420p')}`,
              `[pfit]${loop(frames, fps)},${zoom}[product]`,
              `[swept][product]overlay=0:0:shortest=1:format=yuv420,${out}`,
            ]
          : [
              `[moving][band]overlay=x='-w+(${w}+w)*${e}':y='(${h}-h)/2':eval=frame:shortest=1:format=yuv420,${out}`,
            ]),
      ].join(';');
    }
  }
}
