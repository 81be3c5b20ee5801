import { ASPECT_RATIOS, type AspectRatio } from './options';

/**
 * How long a job of one kind took in this studio before: the median of the latest finished jobs
 * per provider, asset type and frame shape. A render's time grows with the ad's length, so
 * renders are measured per second of ad. Pure, shared by the API (which measures) and the UI
 * (which makes its first estimate from it, before a job has a rate of its own).
 */
export interface JobEstimate {
  provider: string;
  type: 'image' | 'clip' | 'music' | 'final';
  aspectRatio: AspectRatio;
  /** Median milliseconds of one job (for a render: per second of ad). */
  medianMs: number;
  /** True when `medianMs` is per second of the ad (renders). */
  perAdSecond: boolean;
  samples: number;
}

export interface FinishedJob {
  provider: string | null;
  type: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  generationMs: number | null;
}

/** The listed shape nearest to a width and height (square when unknown). */
export function shapeOf(width: number | null, height: number | null): AspectRatio {
  if (!width || !height) return '1:1';
  const ratio = width / height;
  let best: AspectRatio = '1:1';
  for (const candidate of ASPECT_RATIOS) {
    const [w, h] = candidate.split(':').map(Number) as [number, number];
    const [bw, bh] = best.split(':').map(Number) as [number, number];
    if (Math.abs(Math.log(ratio / (w / h))) < Math.abs(Math.log(ratio / (bw / bh))))
      best = candidate;
  }
  return best;
}

const TYPES = ['image', 'clip', 'music', 'final'] as const;

/** Medians per provider, type and shape, from at most `perGroup` jobs each (newest first). */
export function estimateJobs(jobs: readonly FinishedJob[], perGroup = 20): JobEstimate[] {
  const groups = new Map<
    string,
    { key: Omit<JobEstimate, 'medianMs' | 'samples'>; ms: number[] }
  >();
  for (const job of jobs) {
    const type = TYPES.find((t) => t === job.type);
    if (!type || !job.provider || !job.generationMs || job.generationMs <= 0) continue;
    const perAdSecond = type === 'final';
    if (perAdSecond && !job.durationSeconds) continue;
    const aspectRatio = shapeOf(job.width, job.height);
    const id = `${job.provider}|${type}|${aspectRatio}`;
    const group = groups.get(id) ?? {
      key: { provider: job.provider, type, aspectRatio, perAdSecond },
      ms: [],
    };
    if (group.ms.length >= perGroup) continue;
    group.ms.push(perAdSecond ? job.generationMs / job.durationSeconds! : job.generationMs);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ key, ms }) => ({
    ...key,
    medianMs: Math.round(median(ms)),
    samples: ms.length,
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The expected milliseconds of one job of `type` in a session, from the estimates; undefined
 * when this studio has not finished such a job yet.
 */
export function expectedMs(
  estimates: readonly JobEstimate[],
  job: {
    provider: string;
    type: JobEstimate['type'];
    aspectRatio: AspectRatio;
    adSeconds?: number;
  },
): number | undefined {
  const found = estimates.find(
    (e) => e.provider === job.provider && e.type === job.type && e.aspectRatio === job.aspectRatio,
  );
  if (!found) return undefined;
  return found.perAdSecond ? found.medianMs * (job.adSeconds ?? 10) : found.medianMs;
}
