import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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
      // Fields after the command: state is the 3rd, ppid the 4th, utime..cstime the 14th..17th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
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
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const treeTicks = (pid: number): number =>
    (stats.find((s) => s.pid === pid)?.ticks ?? 0) +
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
