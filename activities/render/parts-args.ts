import type { VideoGraph } from './args';
import { audioEncoderArgs, fileUrl, graphText, inputArgs, videoEncoderArgs } from './args';
import { silence } from './audio';
import { sec } from './filter-values';
import type { PartWindow } from './parts';

/**
 * The two FFmpeg runs of a render in parts (pure). The first computes the ad's whole graph up to
 * the last frame it needs, keeps only the frames of the parts to encode, and writes each part as
 * an MPEG-TS file that starts on an IDR frame; the second joins every part by stream copy, adds
 * the sound and writes the MP4.
 */

/**
 * Encodes the given parts (in ad order) of the graph in one run, to `pattern` with a `%03d`
 * counting them from 0. Every value placed in the graph or the options is a number.
 */
export function encodePartsArgs(
  graph: Pick<VideoGraph, 'inputs' | 'chains' | 'fps' | 'encoder'>,
  parts: readonly PartWindow[],
  pattern: string,
): string[] {
  if (parts.length === 0) throw new Error('No part to encode');
  const counts = parts.map((part) => part.endFrame - part.firstFrame);
  if (counts.some((count) => !Number.isInteger(count) || count <= 0)) {
    throw new Error('Parts need whole, positive frame counts');
  }
  const last = parts.at(-1)!.endFrame;
  const kept = parts.map((part) => `between(n,${part.firstFrame},${part.endFrame - 1})`).join('+');
  // Where each part starts in the run's output: forced IDRs there, and the muxer cuts there.
  const starts = counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));
  const frames = starts.at(-1)! + counts.at(-1)!;
  const select =
    // Nothing after the last needed frame is computed; the kept frames are renumbered 0, 1, ...
    `[vout]trim=end_frame=${last},select='${kept}',setpts=N/(${graph.fps}*TB)[vparts]`;
  return [
    '-y',
    ...inputArgs(graph),
    '-filter_complex',
    graphText([...graph.chains, { text: select }]),
    '-map',
    '[vparts]',
    '-an',
    ...videoEncoderArgs(graph),
    '-force_key_frames',
    `expr:${starts.map((start) => `eq(n,${start})`).join('+')}`,
    // An IDR, not just an I frame, so each part decodes on its own after any other.
    '-forced-idr',
    '1',
    '-frames:v',
    String(frames),
    '-f',
    'segment',
    '-segment_format',
    'mpegts',
    // Each part's end; the muxer cuts at the first keyframe at or after each (the last: none).
    '-segment_frames',
    starts.slice(1).concat(frames).join(','),
    '-reset_timestamps',
    '1',
    fileUrl(pattern),
  ];
}

/**
 * The concat demuxer's list: the part files by name, relative to the list's own folder (which
 * the demuxer's safe mode accepts whatever that folder is called), each with its exact length so
 * the joined timestamps do not depend on how a part's length is probed.
 */
export function concatList(parts: ReadonlyArray<{ name: string; frames: number }>, fps: number) {
  const lines = ['ffconcat version 1.0'];
  for (const part of parts) {
    if (!/^[A-Za-z0-9_-]+\.ts$/.test(part.name)) throw new Error('Part names are plain file names');
    lines.push(`file '${part.name}'`, `duration ${sec(part.frames / fps)}`);
  }
  return lines.join('\n') + '\n';
}

export interface AssembleInput {
  listPath: string;
  /** The mixed sound; null: a silent track of the ad's length. */
  audioPath: string | null;
  graph: Pick<VideoGraph, 'encoder' | 'durationSeconds'>;
  outputPath: string;
}

/** The parts joined by stream copy, the sound encoded to AAC beside them, into a faststart MP4. */
export function assembleArgs(input: AssembleInput): string[] {
  const { graph } = input;
  const sound =
    input.audioPath === null
      ? ['-filter_complex', `${silence(graph.durationSeconds)}[aout]`]
      : ['-i', fileUrl(input.audioPath)];
  return [
    '-y',
    '-f',
    'concat',
    '-i',
    fileUrl(input.listPath),
    ...sound,
    '-map',
    '0:v:0',
    '-map',
    input.audioPath === null ? '[aout]' : '1:a:0',
    '-c:v',
    'copy',
    ...audioEncoderArgs(graph.encoder),
    '-movflags',
    '+faststart',
    '-t',
    sec(graph.durationSeconds),
    '-f',
    'mp4',
    fileUrl(input.outputPath),
  ];
}
