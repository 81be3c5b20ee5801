import { spawn } from 'node:child_process';

/**
 * Thin process wrappers around ffmpeg and ffprobe. Argument lists are built elsewhere by pure
 * functions; these only run them, report progress, and kill the process when asked to stop.
 */

export const ffmpegPath = () => process.env.FFMPEG_PATH || 'ffmpeg';
export const ffprobePath = () => process.env.FFPROBE_PATH || 'ffprobe';

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

/** Parses one block of `-progress` key=value lines. Exported for tests. */
export function parseProgressBlock(block: string): FfmpegProgress | null {
  const values = new Map<string, string>();
  for (const line of block.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const progress = values.get('progress');
  if (!progress) return null;
  const outTimeUs = Number(values.get('out_time_us') ?? values.get('out_time_ms') ?? NaN);
  const speedText = values.get('speed')?.replace(/x$/, '');
  const speed = speedText && speedText !== 'N/A' ? Number(speedText) : null;
  return {
    outTimeSeconds: Number.isFinite(outTimeUs) && outTimeUs > 0 ? outTimeUs / 1_000_000 : 0,
    frame: Number(values.get('frame') ?? 0) || 0,
    speed: speed !== null && Number.isFinite(speed) ? speed : null,
    done: progress === 'end',
  };
}

/**
 * Runs ffmpeg with the given arguments (input/output included). Resolves when ffmpeg exits 0;
 * rejects with FfmpegError otherwise. Aborting the signal kills ffmpeg at once (SIGKILL: a render
 * that is cancelled has nothing worth flushing) and rejects with the signal's reason.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions = {}): Promise<void> {
  const { signal, onProgress, cwd } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const child = spawn(
      ffmpegPath(),
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-progress',
        'pipe:1',
        '-nostats',
        ...args,
      ],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderrTail = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.search(/progress=(continue|end)\n/)) !== -1) {
        const close = pending.indexOf('\n', end) + 1;
        const parsed = parseProgressBlock(pending.slice(0, close));
        pending = pending.slice(close);
        if (parsed && onProgress) onProgress(parsed);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new FfmpegError(`ffmpeg could not start: ${error.message}`, null, ''));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(abortReason(signal));
      else if (code === 0) resolve();
      else reject(new FfmpegError(`ffmpeg exited with code ${code}`, code, stderrTail.trim()));
    });
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
    r_frame_rate?: string;
    avg_frame_rate?: string;
    duration?: string;
    sample_rate?: string;
    channels?: number;
    nb_frames?: string;
  }>;
}

/** Runs ffprobe on a file and returns its format and streams. */
export function ffprobe(path: string, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ffprobePath(),
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      { stdio: ['ignore', 'pipe', 'pipe'], signal },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new FfmpegError(`ffprobe failed on ${path}`, code, err.trim()));
        return;
      }
      try {
        resolve(JSON.parse(out) as ProbeResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
