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
 */
export function joinSegments(timeline: Timeline): string {
  const count = timeline.segments.length;
  if (timeline.crossfadeSeconds === 0) {
    const inputs = timeline.segments.map((_, i) => `[s${i}]`).join('');
    return `${inputs}concat=n=${count}:v=1:a=0`;
  }
  const steps: string[] = [];
  let previous = '[s0]';
  for (let i = 1; i < count; i++) {
    const offset = timeline.segments[i]?.startSeconds ?? 0;
    const fade = `xfade=transition=fade:duration=${sec(timeline.crossfadeSeconds)}:offset=${sec(offset)}`;
    const isLast = i === count - 1;
    steps.push(`${previous}[s${i}]${fade}${isLast ? '' : `[x${i}]`}`);
    previous = `[x${i}]`;
  }
  return steps.join(';\n');
}
