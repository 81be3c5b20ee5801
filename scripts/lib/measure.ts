import { execFileSync } from 'node:child_process';

/** The p-th percentile (nearest rank) of some numbers; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Resident memory in bytes of a process, and of its whole process group (the FFmpeg processes a
 * worker starts run in its group).
 */
export function rssOfTree(pid: number): { own: number; tree: number } {
  let out: string;
  try {
    out = execFileSync('ps', ['-eo', 'pid=,pgid=,rss='], { encoding: 'utf8' });
  } catch {
    return { own: 0, tree: 0 };
  }
  let own = 0;
  let tree = 0;
  for (const line of out.split('\n')) {
    const [p, group, rss] = line.trim().split(/\s+/).map(Number);
    if (p === pid) own = rss! * 1024;
    if (group === pid) tree += rss! * 1024;
  }
  return { own, tree };
}
