import { createHash } from 'node:crypto';
import type { Timeline } from '../../core/render/timeline';
import type { GraphChain, VideoGraph } from './args';
import { videoEncoderArgs } from './args';

/**
 * The ad's video in parts, each encoded and cached on its own, so a re-render encodes only the
 * parts whose pixels changed. Pure: where the parts are cut, and the signature of everything that
 * decides a part's frames.
 */

/**
 * Bumped whenever the way parts are encoded changes in a way their signature cannot see (the
 * select chain, the keyframe or muxer settings, the container), so stale parts are not reused.
 */
export const PART_FORMAT_VERSION = 'parts-v1';

/** Frames `[firstFrame, endFrame)` of the ad, at its frame rate. */
export interface PartWindow {
  firstFrame: number;
  endFrame: number;
}

/**
 * Cuts the ad in the middle of each clip, where no crossfade runs: the intro card with the first
 * half of the first clip, one part per stretch between two clips' middles, and the second half of
 * the last clip with the outro card. A change to a card or to one clip's stretch then re-encodes
 * only the parts it shows in.
 */
export function partWindows(timeline: Timeline): PartWindow[] {
  const { fps } = timeline;
  const fade = Math.round(timeline.crossfadeSeconds * fps);
  const total = Math.round(timeline.totalSeconds * fps);
  const cuts: number[] = [];
  for (const segment of timeline.segments) {
    if (segment.kind !== 'clip') continue;
    const start = Math.round(segment.startSeconds * fps);
    const frames = Math.round(segment.shownSeconds * fps);
    // Kept off both of the clip's crossfades, even for a clip barely longer than the two.
    const cut = Math.min(start + frames - fade, Math.max(start + fade, start + (frames >> 1)));
    if (cut > (cuts.at(-1) ?? 0) && cut < total) cuts.push(cut);
  }
  const bounds = [0, ...cuts, total];
  return bounds.slice(1).map((endFrame, i) => ({ firstFrame: bounds[i]!, endFrame }));
}

/**
 * The chains that can change a frame of the window: the join (it holds every offset), and every
 * chain whose own window comes within a crossfade and a frame of it. The margin is deliberate
 * slack: a chain wrongly left out would let a stale part through, one wrongly kept in only costs
 * an encode.
 */
export function chainsShaping(
  graph: Pick<VideoGraph, 'chains' | 'fps' | 'timeline'>,
  window: PartWindow,
): GraphChain[] {
  const margin = graph.timeline.crossfadeSeconds + 1 / graph.fps;
  const from = window.firstFrame / graph.fps - margin;
  const to = window.endFrame / graph.fps + margin;
  return graph.chains.filter(
    (chain) => chain.window === null || (chain.window.start < to && chain.window.end > from),
  );
}

/** The input indices a chain reads (`[3:v]`, `[0:v:0]`), in order of first mention. */
export function inputsOf(chains: readonly Pick<GraphChain, 'text'>[]): number[] {
  const found = new Set<number>();
  for (const chain of chains) {
    for (const match of chain.text.matchAll(/\[(\d+):[av](?::\d+)?\]/g))
      found.add(Number(match[1]));
  }
  return [...found];
}

/**
 * sha256 of everything that decides the part's encoded frames: the format version, the video
 * encoder's arguments (size, rate, preset, quality, GOP), the part's frames, the chains that shape
 * them and the contents of the files those chains read. File names never enter it (inputs are
 * `-i` arguments, not part of a chain), so the same composition in another scratch folder has the
 * same signatures.
 *
 * `contentHashes[i]` is the sha256 of input i's bytes; `encoderBuild` names the FFmpeg build
 * (media/ffmpeg.ts `ffmpegBuild`), since another build may encode the same frames otherwise.
 */
export function partSignature(
  graph: Pick<VideoGraph, 'chains' | 'fps' | 'timeline' | 'encoder' | 'width' | 'height'>,
  window: PartWindow,
  contentHashes: readonly string[],
  encoderBuild = '',
): string {
  const chains = chainsShaping(graph, window);
  const inputs = inputsOf(chains).map((index) => {
    const hash = contentHashes[index];
    if (!hash) throw new Error(`No content hash for input ${index}`);
    return [index, hash];
  });
  const described = {
    version: PART_FORMAT_VERSION,
    encoderBuild,
    size: [graph.width, graph.height],
    encoder: videoEncoderArgs(graph),
    window: [window.firstFrame, window.endFrame],
    chains: chains.map((chain) => chain.text),
    inputs,
  };
  return createHash('sha256').update(JSON.stringify(described)).digest('hex');
}
