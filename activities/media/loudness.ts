import { runFfmpegForLog } from './ffmpeg';

/**
 * Loudness as EBU R128 / ITU-R BS.1770 measure it, read from FFmpeg's ebur128 filter: integrated
 * loudness (LUFS), true peak (dBTP, 4x oversampled) and the momentary loudness every 100 ms, from
 * which the loudness of any stretch (the spoken phrases, say) follows. Parsing is pure.
 */

export interface LoudnessReport {
  integratedLufs: number;
  truePeakDbtp: number;
  /** Momentary loudness (400 ms window ending at `t`), every 100 ms. */
  momentary: Array<{ t: number; lufs: number }>;
}

/** Below this ebur128 reports silence. */
const SILENCE_LUFS = -70;

const number = (text: string | undefined) => {
  if (text === undefined) return NaN;
  if (/^-inf$/i.test(text)) return -Infinity;
  return Number(text);
};

/**
 * Pure: the ebur128 filter's log (per-frame lines and its summary) as numbers. With several
 * ebur128 filters in one graph, `instance` names the one to read (`ebur128@<instance>`).
 */
export function parseEbur128(log: string, instance?: string): LoudnessReport {
  const momentary: LoudnessReport['momentary'] = [];
  const ours = (prefix: string) => !instance || prefix === `ebur128@${instance}`;
  const lines = log.split(/\r?\n/);
  let summary = '';
  let inSummary = false;
  for (const line of lines) {
    const prefixed = /^\[([^\s\]]+) @ 0x[0-9a-f]+\]\s*(.*)$/.exec(line);
    if (prefixed) {
      inSummary = false;
      if (!ours(prefixed[1]!)) continue;
      const body = prefixed[2]!;
      if (body.startsWith('Summary:')) {
        inSummary = true;
        summary = '';
        continue;
      }
      const frame = /^t:\s*([\d.]+)\s+TARGET:\S+\s+LUFS\s+M:\s*(-?[\d.]+|-inf)/.exec(body);
      if (frame) momentary.push({ t: Number(frame[1]), lufs: number(frame[2]) });
    } else if (inSummary) {
      summary += `${line}\n`;
    }
  }
  const integrated = /Integrated loudness:\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(summary)?.[1];
  const peak = /True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(summary)?.[1];
  if (integrated === undefined) {
    throw new Error(`ebur128${instance ? `@${instance}` : ''} reported no integrated loudness`);
  }
  return {
    integratedLufs: number(integrated),
    truePeakDbtp: peak === undefined ? NaN : number(peak),
    momentary,
  };
}

/**
 * Pure: a filter-graph branch that measures what flows through it, read with parseEbur128. The
 * true peak (4x oversampled, the costly part) only where it is wanted.
 */
export const measuringSink = (instance: string, truePeak = false) =>
  `ebur128@${instance}${truePeak ? '=peak=true' : ''},anullsink`;

/** Measures a file's audio (its first audio stream); the true peak unless told not to. */
export async function measureLoudness(
  path: string,
  signal?: AbortSignal,
  options: { truePeak?: boolean } = {},
): Promise<LoudnessReport> {
  const filter = options.truePeak === false ? 'ebur128' : 'ebur128=peak=true';
  const log = await runFfmpegForLog(
    ['-nostats', '-i', `file:${path}`, '-vn', '-af', filter, '-f', 'null', '/dev/null'],
    { signal },
  );
  return parseEbur128(log);
}

/**
 * Pure: the loudness of the stretches given (seconds), as the energy mean of the momentary values
 * whose 400 ms window lies inside one of them. -70 (silence) when none does.
 */
export function loudnessDuring(
  momentary: LoudnessReport['momentary'],
  windows: ReadonlyArray<{ startSeconds: number; endSeconds: number }>,
): number {
  const inside = momentary.filter(({ t }) =>
    windows.some((w) => t - 0.4 >= w.startSeconds - 1e-6 && t <= w.endSeconds + 1e-6),
  );
  if (inside.length === 0) return SILENCE_LUFS;
  const energy =
    inside.reduce((sum, { lufs }) => sum + (Number.isFinite(lufs) ? 10 ** (lufs / 10) : 0), 0) /
    inside.length;
  return energy > 0 ? Math.max(SILENCE_LUFS, 10 * Math.log10(energy)) : SILENCE_LUFS;
}
