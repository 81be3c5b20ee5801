import { execFile } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';
import type { FfprobeData, FfmpegCommand } from 'fluent-ffmpeg';

/**
 * Thin process wrappers around ffmpeg and ffprobe, run through fluent-ffmpeg (the runner the design
 * names). Argument lists are built elsewhere by pure functions; these only run them, report
 * progress, and kill the process when asked to stop. fluent-ffmpeg is archived upstream, so it is
 * imported here and nowhere else (an ESLint rule guards that): swapping it touches one file.
 */

export const ffmpegPath = () => process.env.FFMPEG_PATH || 'ffmpeg';
export const ffprobePath = () => process.env.FFPROBE_PATH || 'ffprobe';

let build: Promise<string> | undefined;

/**
 * The FFmpeg build this process runs (`ffmpeg -version`'s first line, asked once): what an encoder
 * wrote can differ from one build to the next, so caches of encoded media are keyed by it.
 */
export function ffmpegBuild(): Promise<string> {
  build ??= new Promise((resolve, reject) => {
    execFile(ffmpegPath(), ['-version'], (error, stdout) => {
      if (error) reject(new Error(`${ffmpegPath()} -version failed`, { cause: error }));
      else resolve(stdout.split('\n')[0]!.trim());
    });
  });
  return build;
}

export interface FfmpegProgress {
  /** Seconds of output written so far. */
  outTimeSeconds: number;
  frame: number;
  speed: number | null;
  done: boolean;
}

export interface RunFfmpegOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: FfmpegProgress) => void) | undefined;
  cwd?: string | undefined;
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

const STDERR_TAIL_BYTES = 4000;

/** Lines of ffmpeg's output fluent-ffmpeg keeps for the error message. */
const KEPT_LINES = 60;

export interface SplitArgs {
  inputs: Array<{ options: string[]; source: string }>;
  outputOptions: string[];
  output: string;
}

/**
 * Pure: splits a full ffmpeg argument list (as the builders make it) into fluent-ffmpeg's inputs,
 * output options and output, so fluent-ffmpeg rebuilds the same order: each input's options and
 * `-i`, then everything after the last input, then the output file.
 */
export function splitArgs(args: readonly string[]): SplitArgs {
  const output = args[args.length - 1];
  if (output === undefined || output.startsWith('-')) {
    throw new Error('An ffmpeg argument list ends with its output file.');
  }
  const inputs: SplitArgs['inputs'] = [];
  let pending: string[] = [];
  for (let i = 0; i < args.length - 1; i++) {
    const arg = args[i]!;
    if (arg === '-i' && i + 1 < args.length - 1) {
      inputs.push({ options: pending, source: args[i + 1]! });
      pending = [];
      i++;
    } else {
      pending.push(arg);
    }
  }
  return { inputs, outputOptions: pending, output };
}

/** Pure: fluent-ffmpeg's progress event ("00:00:01.50" timemarks) in our shape. */
export function progressFrom(event: { frames?: number; timemark?: string }): FfmpegProgress {
  const match = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(event.timemark ?? '');
  const seconds = match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : 0;
  const frame = Number(event.frames);
  return {
    outTimeSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 0,
    frame: Number.isFinite(frame) && frame > 0 ? frame : 0,
    speed: null,
    done: false,
  };
}

/**
 * fluent-ffmpeg splits a lone option string at its one space ("-crf 20"); several options passed
 * as separate arguments are kept whole, so file names and filter graphs with spaces survive.
 */
function addOptions(add: (...options: string[]) => unknown, options: string[]) {
  if (options.length === 0) return;
  if (options.length === 1 && options[0]!.includes(' ')) {
    throw new Error('A single ffmpeg option may not contain a space.');
  }
  add(...options);
}

function commandFor(args: readonly string[], cwd?: string, keepLines = KEPT_LINES): FfmpegCommand {
  const { inputs, outputOptions, output } = splitArgs(args);
  const command = ffmpeg({ stdoutLines: keepLines, ...(cwd ? { cwd } : {}) });
  command.setFfmpegPath(ffmpegPath());
  command.setFfprobePath(ffprobePath());
  for (const input of inputs) {
    command.input(input.source);
    addOptions((...o) => command.inputOptions(...o), input.options);
  }
  command.output(output);
  // Stats lines on stderr are what fluent-ffmpeg reads progress from; `info` keeps them.
  addOptions(
    (...o) => command.outputOptions(...o),
    ['-hide_banner', '-nostdin', '-loglevel', 'info', '-stats', ...outputOptions],
  );
  return command;
}

/**
 * Runs ffmpeg with the given arguments (input/output included). Resolves when ffmpeg exits 0;
 * rejects with FfmpegError otherwise. Aborting the signal kills ffmpeg at once (SIGKILL: a render
 * that is cancelled has nothing worth flushing) and rejects with the signal's reason.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<void> {
  return run(args, options, KEPT_LINES).then(() => undefined);
}

/**
 * Runs ffmpeg like runFfmpeg and resolves with everything it logged: for analysis filters that
 * report on the log (ebur128's loudness, silencedetect's pauses).
 */
export function runFfmpegForLog(
  args: readonly string[],
  options: RunFfmpegOptions = {},
): Promise<string> {
  return run(args, options, 0);
}

function run(args: readonly string[], options: RunFfmpegOptions, keepLines: number) {
  const { signal, onProgress, cwd } = options;
  return new Promise<string>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const command = commandFor(args, cwd, keepLines);
    let started = false;
    const onAbort = () => {
      // Before 'start' there is no process yet; the start handler kills it as soon as it exists.
      if (started) command.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    command.on('start', () => {
      started = true;
      if (signal?.aborted) command.kill('SIGKILL');
    });
    if (onProgress) {
      command.on('progress', (event: { frames?: number; timemark?: string }) =>
        onProgress(progressFrom(event)),
      );
    }
    command.on('end', (_stdout: string | null, stderr: string | null) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      onProgress?.({ outTimeSeconds: 0, frame: 0, speed: null, done: true });
      resolve(stderr ?? '');
    });
    command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const code = /exited with code (\d+)/.exec(error.message)?.[1];
      const tail = (stderr ?? '').slice(-STDERR_TAIL_BYTES).trim();
      if (code === undefined && !/killed with signal/.test(error.message)) {
        reject(new FfmpegError(`ffmpeg could not start: ${error.message}`, null, tail));
      } else {
        const exitCode = code === undefined ? null : Number(code);
        reject(new FfmpegError(`ffmpeg exited with code ${exitCode}`, exitCode, tail));
      }
    });
    command.run();
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('ffmpeg was cancelled');
}

export interface ProbeResult {
  format: { duration?: string; size?: string; format_name?: string; bit_rate?: string };
  streams: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    pix_fmt?: string;
    sample_aspect_ratio?: string;
    r_frame_rate?: string;
    avg_frame_rate?: string;
    duration?: string;
    sample_rate?: string;
    channels?: number;
    nb_frames?: string;
    /** Only when asked for (`countPackets`): packets read, one per frame for H.264 video. */
    nb_read_packets?: string;
  }>;
}

/** ffprobe prints "N/A" for unknown values, and fluent-ffmpeg turns numeric text into numbers. */
function text(value: string | number | undefined): string | undefined {
  if (value === undefined || value === 'N/A') return undefined;
  return String(value);
}

function count(value: unknown): number | undefined {
  const n = Number(value);
  return value === undefined || value === 'N/A' || !Number.isFinite(n) ? undefined : n;
}

/** Pure: fluent-ffmpeg's ffprobe data in the shape callers read (numbers as ffprobe's JSON has them). */
export function probeResultFrom(data: FfprobeData): ProbeResult {
  return {
    format: {
      duration: text(data.format.duration),
      size: text(data.format.size),
      format_name: text(data.format.format_name),
      bit_rate: text(data.format.bit_rate),
    },
    streams: data.streams.map((s) => ({
      codec_type: text(s.codec_type),
      codec_name: text(s.codec_name),
      width: count(s.width),
      height: count(s.height),
      pix_fmt: text(s.pix_fmt),
      sample_aspect_ratio: text(s.sample_aspect_ratio),
      r_frame_rate: text(s.r_frame_rate),
      avg_frame_rate: text(s.avg_frame_rate),
      duration: text(s.duration),
      sample_rate: text(s.sample_rate),
      channels: count(s.channels),
      nb_frames: text(s.nb_frames),
      nb_read_packets: text((s as { nb_read_packets?: string | number }).nb_read_packets),
    })),
  };
}

export interface ProbeOptions {
  /**
   * Read every packet and count them (`nb_read_packets`): the frame count of a container that
   * does not store one (MPEG-TS), without decoding.
   */
  countPackets?: boolean;
}

/** Runs ffprobe on a file and returns its format and streams. */
export function ffprobe(
  path: string,
  signal?: AbortSignal,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const command = ffmpeg(path);
    command.setFfprobePath(ffprobePath());
    const extra = options.countPackets ? ['-count_packets'] : [];
    command.ffprobe(extra, (error: Error | null, data: FfprobeData) => {
      if (signal?.aborted) reject(abortReason(signal));
      else if (error) reject(new FfmpegError(`ffprobe failed on ${path}`, null, error.message));
      else resolve(probeResultFrom(data));
    });
  });
}
