/**
 * Decides how long the intro card, every clip and the outro card stay on screen so that the
 * finished ad lands between `minTotal` and `maxTotal` seconds whatever the number of clips.
 *
 * All arithmetic is done in whole output frames: xfade offsets that fall between frames make
 * FFmpeg round differently per transition, and the encoder's `-t` would then cut a frame short.
 */

export interface TimelineInput {
  /** Usable length of each source clip in seconds, in display order. */
  clipDurations: readonly number[];
  introSeconds: number;
  outroSeconds: number;
  crossfadeSeconds: number;
  minTotal?: number;
  maxTotal?: number;
  fps?: number;
  /**
   * The music's beats (seconds): each cut's crossfade is centred on the nearest beat within the
   * tolerance, by moving frames between the two segments it joins; the total stays the same.
   */
  beatGrid?: { beats: readonly number[]; toleranceSeconds: number } | undefined;
}

export type SegmentKind = 'intro' | 'clip' | 'outro';

export interface TimelineSegment {
  kind: SegmentKind;
  /** Index into `clipDurations` for clips, null for the cards. */
  clipIndex: number | null;
  /** Time the segment occupies in its own stream, transitions included. */
  shownSeconds: number;
  /** Seconds of the source clip that are used (0 for cards). */
  sourceSeconds: number;
  /** Playback slowdown applied to the used source (1 = real time). */
  slowdown: number;
  /** Seconds the last frame is held after the (slowed) source runs out. */
  holdSeconds: number;
  /** When the segment starts in the final ad; also the xfade offset that brings it in. */
  startSeconds: number;
}

export interface Timeline {
  segments: TimelineSegment[];
  crossfadeSeconds: number;
  totalSeconds: number;
  fps: number;
}

/** Cards may grow to this many times their requested length before clips are stretched. */
const CARD_MAX_GROWTH = 1.75;
/** The intro may shrink to this fraction of its length once clips are as short as they go. */
const CARD_MIN_SHRINK = 0.7;
/** Slow motion beyond this starts to look like a fault rather than a choice. */
const MAX_SLOWDOWN = 1.5;

export function planTimeline(input: TimelineInput): Timeline {
  const fps = input.fps ?? 30;
  const minTotal = input.minTotal ?? 8;
  const maxTotal = input.maxTotal ?? 12;
  const toFrames = (seconds: number) => Math.round(seconds * fps);
  const { clipDurations } = input;

  if (clipDurations.length === 0) throw new RangeError('An ad needs at least one clip');
  if (!(minTotal > 0 && maxTotal >= minTotal)) throw new RangeError('Invalid total range');
  for (const value of [input.introSeconds, input.outroSeconds, input.crossfadeSeconds]) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError('Invalid card or fade length');
  }

  const minFrames = Math.ceil(minTotal * fps - 1e-9);
  const maxFrames = Math.floor(maxTotal * fps + 1e-9);

  const sources = clipDurations.map((seconds, index) => {
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new RangeError(`Clip ${index} has no usable duration`);
    }
    return Math.floor(seconds * fps + 1e-6);
  });

  // Many clips may not fit with the requested crossfade; shorter fades free the room they need.
  for (let fade = toFrames(input.crossfadeSeconds); fade >= 0; fade--) {
    const shown = planFrames({
      sources,
      fade,
      intro: toFrames(input.introSeconds),
      outro: toFrames(input.outroSeconds),
      minFrames,
      maxFrames,
      fps,
    });
    if (shown) {
      const minSegment = 2 * fade + Math.max(1, Math.round(0.4 * fps));
      const cuts = input.beatGrid ? snapCuts(shown, fade, fps, minSegment, input.beatGrid) : shown;
      return toTimeline(cuts, sources, fade, fps);
    }
  }
  throw new RangeError(`${clipDurations.length} clips cannot fit in ${maxTotal} s`);
}

interface FramePlanInput {
  sources: readonly number[];
  fade: number;
  intro: number;
  outro: number;
  minFrames: number;
  maxFrames: number;
  fps: number;
}

/** Frames shown per segment (intro, clips..., outro), or null when they cannot fit. */
function planFrames(input: FramePlanInput): number[] | null {
  const { sources, fade, minFrames, maxFrames, fps } = input;
  // Each segment needs both its incoming and outgoing transition plus a moment on its own.
  const minSegment = 2 * fade + Math.max(1, Math.round(0.4 * fps));
  const introBase = Math.max(minSegment, input.intro);
  const outroBase = Math.max(minSegment, input.outro);
  const clipShown = sources.map((frames) => Math.max(minSegment, frames));
  let intro = introBase;
  let outro = outroBase;

  const overlaps = fade * (clipShown.length + 1);
  const total = () => intro + outro + sum(clipShown) - overlaps;

  if (total() < minFrames) {
    let missing = minFrames - total();
    // Longer cards first: a held title reads as intended, a frozen clip does not.
    const cardRoom = [
      Math.floor(introBase * CARD_MAX_GROWTH) - introBase,
      Math.floor(outroBase * CARD_MAX_GROWTH) - outroBase,
    ];
    const [introGrow, outroGrow] = spread(missing, cardRoom);
    intro += introGrow ?? 0;
    outro += outroGrow ?? 0;
    missing = minFrames - total();
    if (missing > 0) {
      const slowRoom = clipShown.map((frames) => Math.floor(frames * MAX_SLOWDOWN) - frames);
      const grow = spread(missing, slowRoom);
      clipShown.forEach((_, i) => (clipShown[i] = (clipShown[i] ?? 0) + (grow[i] ?? 0)));
      missing = minFrames - total();
    }
    if (missing > 0) {
      // Whatever is still missing is a hold on the last frame, shared evenly.
      const grow = spread(
        missing,
        clipShown.map(() => Number.POSITIVE_INFINITY),
      );
      clipShown.forEach((_, i) => (clipShown[i] = (clipShown[i] ?? 0) + (grow[i] ?? 0)));
    }
  } else if (total() > maxFrames) {
    // Clips give way first: trimming a 3 s shot hardly shows, a rushed call to action does.
    let excess = total() - maxFrames;
    const cut = spread(
      excess,
      clipShown.map((frames) => frames - minSegment),
    );
    clipShown.forEach((_, i) => (clipShown[i] = (clipShown[i] ?? 0) - (cut[i] ?? 0)));
    excess = total() - maxFrames;
    if (excess > 0) {
      intro -= Math.min(
        excess,
        introBase - Math.max(minSegment, Math.ceil(introBase * CARD_MIN_SHRINK)),
      );
      excess = total() - maxFrames;
    }
    if (excess > 0) return null;
  }
  return [intro, ...clipShown, outro];
}

/**
 * Moves each cut (the middle of its crossfade) onto the nearest beat within the tolerance, when
 * both segments it joins keep at least `minSegment` frames. Pure; works in whole frames.
 */
export function snapCuts(
  shown: readonly number[],
  fade: number,
  fps: number,
  minSegment: number,
  grid: { beats: readonly number[]; toleranceSeconds: number },
): number[] {
  const frames = [...shown];
  let start = 0;
  for (let k = 1; k < frames.length; k++) {
    start += frames[k - 1]! - fade;
    const cut = start + fade / 2;
    let best: number | undefined;
    for (const beat of grid.beats) {
      const at = beat * fps;
      if (Math.abs(at - cut) > grid.toleranceSeconds * fps) continue;
      if (best === undefined || Math.abs(at - cut) < Math.abs(best - cut)) best = at;
    }
    if (best === undefined) continue;
    const delta = Math.round(best - cut);
    if (frames[k - 1]! + delta < minSegment || frames[k]! - delta < minSegment) continue;
    frames[k - 1] = frames[k - 1]! + delta;
    frames[k] = frames[k]! - delta;
    start += delta;
  }
  return frames;
}

function toTimeline(
  shownFrames: readonly number[],
  sources: readonly number[],
  fade: number,
  fps: number,
): Timeline {
  const segments: TimelineSegment[] = [];
  let start = 0;
  shownFrames.forEach((frames, position) => {
    const isIntro = position === 0;
    const isOutro = position === shownFrames.length - 1;
    const clipIndex = isIntro || isOutro ? null : position - 1;
    const available = clipIndex === null ? 0 : (sources[clipIndex] ?? 0);
    const used = Math.min(available, frames);
    const slowed = clipIndex === null ? 0 : Math.min(frames, Math.floor(used * MAX_SLOWDOWN));
    segments.push({
      kind: isIntro ? 'intro' : isOutro ? 'outro' : 'clip',
      clipIndex,
      shownSeconds: frames / fps,
      sourceSeconds: used / fps,
      slowdown: used > 0 ? slowed / used : 1,
      holdSeconds: clipIndex === null ? 0 : (frames - slowed) / fps,
      startSeconds: start / fps,
    });
    start += frames - fade;
  });

  return {
    segments,
    crossfadeSeconds: fade / fps,
    totalSeconds: (sum(shownFrames) - fade * (shownFrames.length - 1)) / fps,
    fps,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, value) => acc + value, 0);
}

/**
 * Shares `amount` whole frames across slots as evenly as their room allows. Returns how much each
 * slot takes; the total is less than `amount` only when every slot is full.
 */
function spread(amount: number, room: readonly number[]): number[] {
  const taken = room.map(() => 0);
  let left = amount;
  let open = room.map((r, i) => (r > 0 ? i : -1)).filter((i) => i >= 0);
  while (left > 0 && open.length > 0) {
    const share = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const give = Math.min(share, (room[i] ?? 0) - (taken[i] ?? 0), left);
      taken[i] = (taken[i] ?? 0) + give;
      left -= give;
      if (left === 0) break;
    }
    open = open.filter((i) => (taken[i] ?? 0) < (room[i] ?? 0));
  }
  return taken;
}
