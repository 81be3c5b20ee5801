import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CutoutHints, CutoutQuality } from '../core/cutout-quality';
import { cutoutInWorker, stopSegmentationWorker } from '../activities/segmentation/runner';

/**
 * `npm run cutout -- <photo> <out.png>`: the studio's product cutout from a terminal, so a person
 * can try a photo before paying for anything. Writes an RGBA PNG trimmed to the product and
 * prints the quality verdict. Marks to redo it: `--box x,y,w,h`, `--keep x,y`, `--drop x,y`
 * (fractions 0..1 of the photo; --keep and --drop may repeat). Exit codes: 0 written, 2 refused
 * (nothing written), 1 any other failure.
 */

const usage =
  'Usage: npm run cutout -- <photo> <out.png> [--box x,y,w,h] [--keep x,y]... [--drop x,y]...';

function numbers(text: string, count: number, flag: string): number[] {
  const values = text.split(',').map(Number);
  if (values.length !== count || values.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) {
    throw new Error(`${flag} takes ${count} numbers between 0 and 1, separated by commas.`);
  }
  return values;
}

function parse(argv: string[]): { photo: string; out: string; hints?: CutoutHints } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      box: { type: 'string' },
      keep: { type: 'string', multiple: true },
      drop: { type: 'string', multiple: true },
    },
  });
  const [photo, out] = positionals;
  if (!photo || !out || positionals.length > 2) throw new Error(usage);
  const point = (flag: string) => (text: string) => {
    const [x, y] = numbers(text, 2, flag) as [number, number];
    return { x, y };
  };
  const hints: CutoutHints = {};
  if (values.box) {
    const [x, y, w, h] = numbers(values.box, 4, '--box') as [number, number, number, number];
    hints.box = { x, y, w, h };
  }
  if (values.keep) hints.keep = values.keep.map(point('--keep'));
  if (values.drop) hints.drop = values.drop.map(point('--drop'));
  const any = hints.box || hints.keep || hints.drop;
  return { photo: resolve(photo), out: resolve(out), ...(any ? { hints } : {}) };
}

function report(quality: CutoutQuality): string {
  const m = quality.metrics;
  const pct = (v: number) => `${Math.round(v * 100)} %`;
  const lines = [
    `verdict: ${quality.verdict}: ${quality.summary}`,
    ...quality.problems
      .slice(quality.problems[0] === quality.summary ? 1 : 0)
      .map((p) => `  - ${p}`),
    ...(quality.advice ? [`advice: ${quality.advice}`] : []),
    `quality: certainty ${pct(m.certainty)}, product ${pct(m.productShare)} of the photo, ` +
      `touches ${pct(m.borderTouch)} of its edge, ${m.pieces} piece${m.pieces === 1 ? '' : 's'}`,
    `second opinions: the two networks agree ${m.modelAgreement === undefined ? '(not run)' : pct(m.modelAgreement)}; ` +
      `the backdrop flood fill ${m.agreement === undefined ? 'does not apply (no plain backdrop)' : `agrees ${pct(m.agreement)}`}`,
  ];
  return lines.join('\n');
}

async function main() {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const started = performance.now();
  try {
    const made = await cutoutInWorker({
      photoPath: args.photo,
      outputPath: args.out,
      hints: args.hints,
    });
    console.log(report(made.quality));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (made.quality.verdict === 'refused') {
      console.log(`refused: nothing written (${seconds} s).`);
      return 2;
    }
    console.log(`wrote ${args.out} (${made.width}x${made.height}, RGBA) in ${seconds} s`);
    return 0;
  } catch (error) {
    console.error(`cutout failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await stopSegmentationWorker();
  }
}

process.exitCode = await main();
