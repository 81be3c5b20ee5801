import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '../activities/media/ffmpeg';
import { DEFAULT_ENCODER, lowerThirdWindow, timelineOf } from '../activities/render/args';
import type { RenderColors } from '../activities/render/args';
import { introRulePosition, layerPositions, type PlacedLayer } from '../core/render/positions';
import { clipChain } from '../activities/render/clips';
import { sec } from '../activities/render/filter-values';
import { defaultFonts } from '../graphics/fonts';
import { layoutAd } from '../core/render/layout';
import { adTexts } from '../core/render/text-plan';
import { drawLayers } from '../graphics/text-layers';
import { LAYER_NAMES, planTextLayers, type LayerName } from '../core/render/text-plan';
import type { Timeline, TimelineSegment } from '../core/render/timeline';

/**
 * The render as it was before voiceovers (commit 30f69b8), kept for the benchmark so one run
 * measures before and after on the same machine: text layers as PNG inputs looped at the output
 * rate and faded in RGBA, a chain of xfades over the whole streams, and the music brought to its
 * loudness by a single-pass loudnorm inside the video graph. 16:9 clips of the ad's own size (no
 * reframe, no beat grid), which is what the benchmark renders.
 */

export interface PreviousInput {
  clips: ReadonlyArray<{ path: string; durationSeconds: number }>;
  productName: string;
  callToAction: string;
  tagline: string;
  colors: RenderColors;
  musicPath: string;
  outputPath: string;
  workRoot: string;
}

const hex = (value: string) => `0x${value.slice(1).toUpperCase()}`;

export async function renderPrevious(input: PreviousInput): Promise<number> {
  const width = 1920;
  const height = 1080;
  const fps = 30;
  const layout = layoutAd(width, height);
  const workDir = await mkdtemp(join(input.workRoot, 'previous-'));
  try {
    const drawn = await drawLayers(
      planTextLayers(layout, adTexts(input), input.colors),
      defaultFonts(),
      workDir,
    );
    const timeline = timelineOf({ clips: input.clips, fps });
    const total = timeline.totalSeconds;
    const musicIndex = input.clips.length;
    const layers = {} as Record<LayerName, PlacedLayer & { path: string }>;
    LAYER_NAMES.forEach((name, offset) => {
      const layer = drawn.find((d) => d.name === name)!;
      layers[name] = { ...layer, inputIndex: musicIndex + 1 + offset };
    });
    const style = { layout, layers };
    const at = layerPositions(style);
    const rule = introRulePosition(style);
    const card = (segment: TimelineSegment) =>
      `color=c=${hex(input.colors.primary)}:s=${width}x${height}:r=${fps}:d=${sec(segment.shownSeconds)},format=yuv420p,setsar=1`;
    const faded = (name: LayerName, start: number, seconds: number) =>
      `[${layers[name].inputIndex}:v]format=rgba,fade=t=in:st=${sec(start)}:d=${sec(seconds)}:alpha=1`;
    const rise = Math.round(height * 0.03);

    const chains = timeline.segments.map((segment, index) => {
      const label = `s${index}`;
      if (segment.kind === 'intro') {
        return [
          card(segment) +
            `,drawbox=x=${rule.x}:y=${rule.y}:w=${rule.width}:h=${rule.height}:color=${hex(input.colors.accent)}:t=fill:enable='gte(t,0.5)'[${label}_card]`,
          faded('introTitle', 0, 0.6) + `[${label}_text]`,
          `[${label}_card][${label}_text]overlay=x=${at.introTitle.x}:y='${at.introTitle.y}+${rise}*pow(max(0,1-t/0.7),2)':eval=frame:format=auto,format=yuv420p,setsar=1[${label}]`,
        ].join(';\n');
      }
      if (segment.kind === 'outro') {
        return [
          card(segment) + `[${label}_card]`,
          faded('outroName', 0, 0.5) + `[${label}_name]`,
          faded('outroCta', 0.25, 0.5) + `[${label}_cta]`,
          `[${label}_card][${label}_name]overlay=x=${at.outroName.x}:y=${at.outroName.y}:format=auto[${label}_named]`,
          `[${label}_named][${label}_cta]overlay=x=${at.outroCta.x}:y=${at.outroCta.y}:format=auto,format=yuv420p,setsar=1[${label}]`,
        ].join(';\n');
      }
      return clipChain(segment.clipIndex ?? 0, segment, { width, height, fps }) + `[${label}]`;
    });
    chains.push(xfadeChain(timeline) + '[joined]');
    const lower = lowerThirdWindow(timeline, undefined);
    const d = 0.4;
    chains.push(
      `[${layers.lowerThird.inputIndex}:v]format=rgba,fade=t=in:st=0:d=${d}:alpha=1,` +
        `fade=t=out:st=${sec(Math.max(0, lower.end - lower.start - d))}:d=${d}:alpha=1,` +
        `setpts=PTS+${sec(lower.start)}/TB[lower_text]`,
      `[joined][lower_text]overlay=x=${at.lowerThird.x}:y=${at.lowerThird.y}:eof_action=pass:format=auto` +
        `:enable='between(t,${sec(lower.start)},${sec(lower.end)})',format=yuv420p[vout]`,
    );
    const fadeOut = Math.min(1.5, total / 4);
    chains.push(
      `[${musicIndex}:a:0]atrim=duration=${sec(total)},asetpts=PTS-STARTPTS,loudnorm=I=-16:TP=-1.5:LRA=11,` +
        `aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_dur=${sec(total)},` +
        `afade=t=in:d=0.5,afade=t=out:st=${sec(total - fadeOut)}:d=${sec(fadeOut)}[aout]`,
    );

    const seconds: Record<LayerName, number> = {
      introTitle: timeline.segments[0]!.shownSeconds,
      outroName: timeline.segments.at(-1)!.shownSeconds,
      outroCta: timeline.segments.at(-1)!.shownSeconds,
      lowerThird: Math.max(0.1, lower.end - lower.start),
    };
    const args = ['-y'];
    for (const clip of input.clips) args.push('-i', `file:${clip.path}`);
    args.push('-i', `file:${input.musicPath}`);
    for (const name of LAYER_NAMES) {
      args.push('-loop', '1', '-framerate', String(fps), '-t', sec(seconds[name]));
      args.push('-i', `file:${layers[name].path}`);
    }
    const e = DEFAULT_ENCODER;
    args.push(
      ...['-filter_complex', chains.join(';\n'), '-map', '[vout]', '-map', '[aout]'],
      ...['-c:v', 'libx264', '-preset', e.preset, '-crf', String(e.crf)],
      ...['-maxrate', `${e.maxrateKbps}k`, '-bufsize', `${Math.round(e.maxrateKbps * 1.5)}k`],
      ...['-profile:v', 'high', '-pix_fmt', 'yuv420p', '-r', String(fps), '-g', String(fps * 2)],
      ...['-c:a', 'aac', '-b:a', `${e.audioKbps}k`, '-ar', '48000', '-ac', '2'],
      ...['-movflags', '+faststart', '-t', sec(total), '-f', 'mp4', `file:${input.outputPath}`],
    );
    await runFfmpeg(args);
    return total;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The previous join: one xfade per boundary over the whole streams. */
function xfadeChain(timeline: Timeline): string {
  const steps: string[] = [];
  let previous = '[s0]';
  for (let i = 1; i < timeline.segments.length; i++) {
    const offset = timeline.segments[i]!.startSeconds;
    const last = i === timeline.segments.length - 1;
    steps.push(
      `${previous}[s${i}]xfade=transition=fade:duration=${sec(timeline.crossfadeSeconds)}:offset=${sec(offset)}${last ? '' : `[x${i}]`}`,
    );
    previous = `[x${i}]`;
  }
  return steps.join(';\n');
}
