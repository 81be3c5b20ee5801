import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobe, runFfmpeg } from '../activities/media/ffmpeg';
import { DEFAULT_ENCODER } from '../activities/render/args';
import type { X264Preset } from '../activities/render/args';
import { renderAd } from '../activities/render/render';
import { renderBaseline } from './baseline-render';
import { renderPrevious } from './previous-render';
import { benchRenderParts } from './render-parts';
import { COLORS, TEXT, makeRenderInputs } from './render-inputs';
import { formatLoad, median, reapedChildrenCpuSeconds } from '../scripts/lib/measure';

/**
 * Times our render from scratch (with a voiceover and its captions, and without; no parts cache,
 * so every part is encoded: bench/render-parts.ts times re-renders) against the seed's multi-pass
 * pipeline and against a bare encode of the same clips, on the same inputs.
 * Prints figures from this run only; it asserts nothing, since timings depend on the machine.
 *
 *   node --import tsx bench/render.ts [runs]
 *
 * `parts [runs]` instead times re-renders against a first render's cached parts
 * (bench/render-parts.ts).
 */

const PARTS = process.argv[2] === 'parts';
const DEFAULT_RUNS = PARTS ? 1 : 3;
const RUNS = Math.max(1, Number(process.argv[PARTS ? 3 : 2] ?? DEFAULT_RUNS) || DEFAULT_RUNS);

interface Row {
  name: string;
  seconds: number[];
  /** CPU seconds of all child processes; steadier than wall time on a shared machine. */
  cpuSeconds: number[];
  adSeconds: number;
  bytes: number;
}

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'bench-render-'));
  try {
    console.log(`cpus=${availableParallelism()} load=${formatLoad()} runs=${RUNS}`);
    const started = performance.now();
    const { clips, music, voice } = await makeRenderInputs(root);
    console.log(`inputs generated in ${seconds(performance.now() - started)} s\n`);

    // The seed's pipeline draws with drawtext, which takes font files (Debian's DejaVu).
    const fonts = {
      regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
      bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    };
    const ours =
      (clipCount: number, preset: X264Preset, spoken: typeof voice | null) =>
      async (out: string) => {
        const result = await renderAd({
          encoder: { preset },
          clips: clips.slice(0, clipCount).map((path) => ({ path })),
          ...TEXT,
          colors: COLORS,
          musicPath: music,
          voice: spoken,
          outputPath: out,
        });
        return result.durationSeconds;
      };
    /** The floor: the same clips decoded, joined and encoded once with our settings, nothing else. */
    const bare = async (out: string) => {
      await runFfmpeg([
        '-y',
        ...clips.flatMap((path) => ['-i', path]),
        '-filter_complex',
        `${clips.map((_, i) => `[${i}:v]`).join('')}concat=n=${clips.length}:v=1:a=0[v]`,
        ...['-map', '[v]', '-c:v', 'libx264', '-preset', DEFAULT_ENCODER.preset],
        ...['-crf', String(DEFAULT_ENCODER.crf), '-pix_fmt', 'yuv420p', '-r', '30', out],
      ]);
      return Number((await ffprobe(out)).format.duration);
    };
    const baseline = (preset: X264Preset) => async (out: string) => {
      const workDir = await mkdtemp(join(root, 'baseline-'));
      try {
        await renderBaseline({
          clips,
          musicPath: music,
          ...TEXT,
          fonts,
          workDir,
          outputPath: out,
          preset,
        });
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
      return Number((await ffprobe(out)).format.duration);
    };

    const plans: Array<[string, (out: string) => Promise<number>]> = [
      [
        `ours: voice + captions, 4 clips (${DEFAULT_ENCODER.preset})`,
        ours(4, DEFAULT_ENCODER.preset, voice),
      ],
      [
        `ours: music only, 4 clips (${DEFAULT_ENCODER.preset})`,
        ours(4, DEFAULT_ENCODER.preset, null),
      ],
      [
        `before (30f69b8): music only, 4 clips (${DEFAULT_ENCODER.preset})`,
        (out) =>
          renderPrevious({
            clips: clips.map((path) => ({ path, durationSeconds: 3 })),
            ...TEXT,
            colors: COLORS,
            musicPath: music,
            outputPath: out,
            workRoot: root,
          }),
      ],
      ['baseline: seed settings (fast)', baseline('fast')],
      [
        `baseline: same preset as ours (${DEFAULT_ENCODER.preset})`,
        baseline(DEFAULT_ENCODER.preset),
      ],
      [`bare encode of the clips (${DEFAULT_ENCODER.preset})`, bare],
    ];
    await mkdir(join(root, 'out'));
    const rows: Row[] = plans.map(([name]) => ({
      name,
      seconds: [],
      cpuSeconds: [],
      adSeconds: 0,
      bytes: 0,
    }));
    // Round-robin rather than pipeline by pipeline, so a noisy neighbour slows all of them alike.
    for (let i = 0; i < RUNS; i++) {
      for (const [index, [name, run]] of plans.entries()) {
        const row = rows[index];
        if (!row) continue;
        const out = join(root, 'out', `${index}-${i}.mp4`);
        const t0 = performance.now();
        const cpu0 = reapedChildrenCpuSeconds();
        row.adSeconds = await run(out);
        row.seconds.push((performance.now() - t0) / 1000);
        row.cpuSeconds.push(reapedChildrenCpuSeconds() - cpu0);
        row.bytes = (await stat(out)).size;
        console.log(
          `run ${i + 1} ${name}: wall ${row.seconds.at(-1)?.toFixed(2)} s,` +
            ` cpu ${row.cpuSeconds.at(-1)?.toFixed(2)} s`,
        );
      }
    }
    printTable(rows);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]) {
  const ours = median(rows[0]?.seconds ?? []);
  const oursCpu = median(rows[0]?.cpuSeconds ?? []);
  const header = [
    'pipeline',
    'median s',
    'cpu s',
    'ad s',
    'render/ad',
    'MB',
    'vs ours wall',
    'vs ours cpu',
  ];
  const lines = rows.map((row) => {
    const m = median(row.seconds);
    const cpu = median(row.cpuSeconds);
    return [
      row.name,
      m.toFixed(2),
      cpu.toFixed(2),
      row.adSeconds.toFixed(2),
      (m / row.adSeconds).toFixed(2),
      (row.bytes / 1024 / 1024).toFixed(2),
      `${(m / ours).toFixed(2)}x`,
      `${(cpu / oursCpu).toFixed(2)}x`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  console.log(
    '\nvs ours: median relative to the first row; render/ad: render time per second of ad.',
  );
  const by = (prefix: string) => rows.find((row) => row.name.startsWith(prefix));
  const ratio = (a: Row | undefined, b: Row | undefined, pick: (row: Row) => number[]) =>
    a && b ? (median(pick(a)) / median(pick(b))).toFixed(2) : 'n/a';
  const voiced = by('ours: voice');
  const seed = by('baseline: seed');
  const floor = by('bare encode');
  const before = by('before');
  console.log(
    `seed pipeline / before (30f69b8): wall ${ratio(seed, before, (r) => r.seconds)}x,` +
      ` cpu ${ratio(seed, before, (r) => r.cpuSeconds)}x; before / bare encode: wall` +
      ` ${ratio(before, floor, (r) => r.seconds)}x, cpu ${ratio(before, floor, (r) => r.cpuSeconds)}x`,
  );
  console.log(
    `seed pipeline / ours with voice and captions: wall ${ratio(seed, voiced, (r) => r.seconds)}x,` +
      ` cpu ${ratio(seed, voiced, (r) => r.cpuSeconds)}x`,
  );
  console.log(
    `ours with voice and captions / bare encode: wall ${ratio(voiced, floor, (r) => r.seconds)}x,` +
      ` cpu ${ratio(voiced, floor, (r) => r.cpuSeconds)}x`,
  );
  console.log(`load after: ${formatLoad()}`);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

await (PARTS ? benchRenderParts(RUNS) : main());
