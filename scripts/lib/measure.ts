import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The middle of some numbers (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The machine's load averages (1, 5, 15 min), as a benchmark prints them beside its figures. */
export function formatLoad(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

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

/** The fields of a /proc/<pid>/stat line after its command (state is [0], ppid [1]). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU seconds (user + system) of this process's children that have ended and been reaped, from
 * /proc (cutime and cstime, in clock ticks of 1/100 s). Node reaps every FFmpeg it runs, so a
 * step's share is the difference of two readings.
 */
export function reapedChildrenCpuSeconds(): number {
  const fields = statFields(readFileSync('/proc/self/stat', 'utf8'));
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime: its own CPU and that of the children it has reaped. */
  ticks: number;
}

/** Every process's CPU ticks (Linux /proc); empty where /proc is not there. */
function procStats(): ProcStat[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const stats: ProcStat[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // utime, stime, cutime and cstime are the 14th to 17th fields of the line.
      const fields = statFields(stat);
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      stats.push({ pid: Number(pid), ppid: Number(fields[1]), comm, ticks });
    } catch {
      // The process ended while the list was read.
    }
  }
  return stats;
}

/**
 * CPU seconds used so far by each named process tree (a root pid, or every process of a command
 * name such as `postgres`), counting the children each has reaped (a worker's FFmpeg runs). Two
 * readings apart give each part's share of a run.
 */
export function cpuByTree(roots: Record<string, number | string | undefined>): Map<string, number> {
  const stats = procStats();
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const treeTicks = (pid: number): number =>
    (byPid.get(pid)?.ticks ?? 0) +
    (children.get(pid) ?? []).reduce((sum, child) => sum + treeTicks(child.pid), 0);
  const seconds = new Map<string, number>();
  for (const [name, root] of Object.entries(roots)) {
    const ticks =
      typeof root === 'number'
        ? treeTicks(root)
        : typeof root === 'string'
          ? stats.filter((s) => s.comm === root).reduce((sum, s) => sum + s.ticks, 0)
          : 0;
    // Linux reports CPU time in clock ticks of 1/100 s (USER_HZ).
    seconds.set(name, ticks / 100);
  }
  return seconds;
}
