import type { ProductBox } from '../../core/session';
import { sec } from './filter-values';
import { planReframe, reframeFilter } from './reframe';
import type { Size } from './reframe';
import type { Timeline, TimelineSegment } from '../../core/render/timeline';

export interface Frame {
  width: number;
  height: number;
  fps: number;
}

/**
 * One clip brought to the output frame: the planned stretch of source, slowed if planned, at the
 * output rate, scaled and cropped to fill, then held on its last frame for exactly the frames the
 * timeline gives it.
 */
export function clipChain(
  inputIndex: number,
  segment: TimelineSegment,
  frame: Frame,
  /** A clip of another shape than the ad: reframed around its product (reframe.ts). */
  reframe?: { source: Size; box?: ProductBox | undefined },
): string {
  const frames = Math.round(segment.shownSeconds * frame.fps);
  const filters = [
    `[${inputIndex}:v:0]trim=duration=${sec(segment.sourceSeconds)}`,
    'setpts=PTS-STARTPTS',
  ];
  if (segment.slowdown > 1) filters.push(`setpts=${sec(segment.slowdown)}*PTS`);
  filters.push(
    // Frame rate first so the scaler only sees frames that will be kept.
    `fps=${frame.fps}`,
    ...(reframe
      ? [
          reframeFilter(
            reframe.source,
            frame,
            planReframe(reframe.source, frame, reframe.box),
            String(inputIndex),
          ),
        ]
      : [
          `scale=${frame.width}:${frame.height}:force_original_aspect_ratio=increase`,
          `crop=${frame.width}:${frame.height}`,
        ]),
    'setsar=1',
    'format=yuv420p',
    // A few spare frames beyond the planned hold absorb rounding in fps; trim cuts them exactly.
    `tpad=stop_mode=clone:stop_duration=${sec(segment.holdSeconds + 0.2)}`,
    `trim=end_frame=${frames}`,
    'setpts=PTS-STARTPTS',
  );
  return filters.join(',');
}

/**
 * Crossfades segment streams `[s0]..[sN]` into one; a plain concat when fades are switched off.
 * Returns the chains without the final output label.
 *
 * Only the frames that fade are blended: each segment is split into its incoming fade, its body
 * and its outgoing fade, every transition is one short xfade of the two fading stretches, and the
 * bodies and transitions are concatenated. A chain of xfades over the whole streams (the obvious
 * graph) costs the same blend plus a per-frame toll on every frame of the ad at every transition:
 * about 0.35 s of CPU per transition on a 12 s 1080p ad (bench/render.ts), a third of the graph.
 */
export function joinSegments(timeline: Timeline): string {
  const count = timeline.segments.length;
  const inputs = timeline.segments.map((_, i) => `[s${i}]`);
  if (timeline.crossfadeSeconds === 0 || count === 1) {
    return `${inputs.join('')}concat=n=${count}:v=1:a=0`;
  }
  const fps = timeline.fps;
  const fade = Math.round(timeline.crossfadeSeconds * fps);
  const chains: string[] = [];
  const pieces: string[] = [];
  const part = (label: string, from: number, to: number | null) =>
    `[${label}]trim=start_frame=${from}${to === null ? '' : `:end_frame=${to}`},setpts=PTS-STARTPTS`;
  timeline.segments.forEach((segment, i) => {
    const frames = Math.round(segment.shownSeconds * fps);
    const hasHead = i > 0;
    const hasTail = i < count - 1;
    const outputs = [hasHead ? `h${i}` : null, `b${i}`, hasTail ? `t${i}` : null].filter(
      (o): o is string => o !== null,
    );
    chains.push(`[s${i}]split=${outputs.length}${outputs.map((o) => `[${o}in]`).join('')}`);
    const bodyStart = hasHead ? fade : 0;
    const bodyEnd = hasTail ? frames - fade : null;
    if (hasHead) chains.push(`${part(`h${i}in`, 0, fade)}[h${i}]`);
    chains.push(`${part(`b${i}in`, bodyStart, bodyEnd)}[b${i}]`);
    if (hasTail) chains.push(`${part(`t${i}in`, frames - fade, null)}[t${i}]`);
    if (hasHead) {
      chains.push(
        `[t${i - 1}][h${i}]xfade=transition=fade:duration=${sec(fade / fps)}:offset=0[f${i}]`,
      );
      pieces.push(`[f${i}]`);
    }
    pieces.push(`[b${i}]`);
  });
  chains.push(`${pieces.join('')}concat=n=${pieces.length}:v=1:a=0`);
  return chains.join(';\n');
}
