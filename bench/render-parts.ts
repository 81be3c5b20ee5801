import { access, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartCache } from '../activities/render/parts-render';
import { renderAd } from '../activities/render/render';
import type { RenderAdInput, RenderedAd } from '../activities/render/render';
import { formatLoad, median, reapedChildrenCpuSeconds } from '../scripts/lib/measure';
import { COLORS, TEXT, makeRenderInputs } from './render-inputs';

/**
 * What a re-render costs once the first render's parts are cached: the first render (every part
 * encoded), then, each against that render's parts only, a changed call to action, a changed
 * tagline and an unchanged ad. Same inputs as bench/render.ts (1080p, four clips, music, voice
 * and captions). Prints figures from this run only; it asserts nothing, since timings depend on
 * the machine.
 *
 *   npm run bench:render -- parts [runs]
 */

interface Row {
  name: string;
  wall: number[];
  /** FFmpeg's CPU seconds (reaped children); the render's own process is in `node`. */
  ffmpegCpu: number[];
  nodeCpu: number[];
  ad?: RenderedAd;
}

/** Parts kept as files named by signature; `readOnly` serves them without taking new ones. */
function folderCache(dir: string, readOnly: boolean): PartCache {
  return {
    async fetch(signature, path) {
      const file = join(dir, `${signature}.ts`);
      if (
        !(await access(file).then(
          () => true,
          () => false,
        ))
      )
        return false;
      await copyFile(file, path);
      return true;
    },
    async store(signature, path) {
      if (!readOnly) await copyFile(path, join(dir, `${signature}.ts`));
    },
  };
}

export async function benchRenderParts(runs: number) {
  const root = await mkdtemp(join(tmpdir(), 'bench-render-parts-'));
  try {
    console.log(`cpus=${availableParallelism()} load=${formatLoad()} runs=${runs}`);
    const { clips, music, voice } = await makeRenderInputs(root);
    const base: Omit<RenderAdInput, 'outputPath'> = {
      clips: clips.map((path) => ({ path })),
      ...TEXT,
      colors: COLORS,
      musicPath: music,
      voice,
    };
    const plans: Array<[string, Partial<RenderAdInput>]> = [
      ['first render (nothing cached)', {}],
      ['call to action changed', { callToAction: 'Free shipping today' }],
      ['tagline changed', { tagline: 'Made to go further.' }],
      ['nothing changed', {}],
    ];
    const rows: Row[] = plans.map(([name]) => ({ name, wall: [], ffmpegCpu: [], nodeCpu: [] }));
    for (let run = 0; run < runs; run++) {
      // Each run starts from an empty cache, which only the first render fills.
      const cacheDir = join(root, `cache-${run}`);
      await mkdir(cacheDir);
      for (const [index, [name, change]] of plans.entries()) {
        const row = rows[index]!;
        const cache = folderCache(cacheDir, index > 0);
        const t0 = performance.now();
        const cpu0 = reapedChildrenCpuSeconds();
        const node0 = process.cpuUsage();
        row.ad = await renderAd(
          { ...base, ...change, outputPath: join(root, `${run}-${index}.mp4`) },
          { parts: cache },
        );
        const node = process.cpuUsage(node0);
        row.wall.push((performance.now() - t0) / 1000);
        row.ffmpegCpu.push(reapedChildrenCpuSeconds() - cpu0);
        row.nodeCpu.push((node.user + node.system) / 1e6);
        console.log(
          `run ${run + 1} ${name}: wall ${row.wall.at(-1)!.toFixed(2)} s,` +
            ` ffmpeg cpu ${row.ffmpegCpu.at(-1)!.toFixed(2)} s`,
        );
      }
    }
    printTable(rows);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]) {
  const full = rows[0]!;
  const header = [
    'render',
    'parts enc.',
    'frames enc.',
    'wall s',
    'ffmpeg cpu s',
    'node cpu s',
    'wall vs first',
    'cpu vs first',
  ];
  const lines = rows.map((row) => {
    const parts = row.ad?.parts ?? [];
    const encoded = parts.filter((part) => !part.reused);
    const frames = (list: typeof parts) =>
      list.reduce((sum, part) => sum + part.endFrame - part.firstFrame, 0);
    const cpu = median(row.ffmpegCpu) + median(row.nodeCpu);
    const fullCpu = median(full.ffmpegCpu) + median(full.nodeCpu);
    return [
      row.name,
      `${encoded.length}/${parts.length}`,
      `${frames(encoded)}/${frames(parts)}`,
      median(row.wall).toFixed(2),
      median(row.ffmpegCpu).toFixed(2),
      median(row.nodeCpu).toFixed(2),
      `${(median(row.wall) / median(full.wall)).toFixed(2)}x`,
      `${(cpu / fullCpu).toFixed(2)}x`,
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
    '\nmedians over runs; cpu vs first: FFmpeg and node CPU together, relative to the first render.',
  );
  console.log(`load after: ${formatLoad()}`);
}
