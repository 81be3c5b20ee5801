import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalImageGenerator } from '../activities/providers/local/image';
import { createLocalPlanner } from '../activities/providers/local/planner';
import { imageSheet } from './lib/frame-sheet';

/**
 * `node --import tsx scripts/photo-shots.ts <cutout.png> <sheet.jpg> [prompt...]`: the local
 * studio's shots around a product cutout (from `npm run cutout`), side by side, without a session.
 * With no prompts, the plan's six shots for "espresso cup"; with prompts, one "make it again"
 * variant per prompt (seed + 1 each), printing each shot's name and what offline could not change.
 */
async function main() {
  const [cutout, output, ...prompts] = process.argv.slice(2);
  if (!cutout || !output)
    throw new Error('usage: photo-shots <cutout.png> <sheet.jpg> [prompt...]');
  const plan = await createLocalPlanner().planShots({
    prompt: 'espresso cup',
    count: 6,
    aspectRatio: '9:16',
    hasPhoto: true,
  });
  const shots = prompts.length
    ? prompts.map((prompt, i) => ({ view: 'front' as const, prompt, seed: plan.seed + i }))
    : plan.shots.map((shot) => ({ ...shot, seed: plan.seed }));
  const dir = await mkdtemp(join(tmpdir(), 'photo-shots-'));
  try {
    const generator = createLocalImageGenerator();
    const paths: string[] = [];
    for (const [i, shot] of shots.entries()) {
      const made = await generator.generateImage({
        prompt: shot.prompt,
        view: shot.view,
        seed: shot.seed,
        style: plan.style,
        product: plan.product,
        width: 540,
        height: 960,
        productPhotoPath: cutout,
        outputPath: join(dir, `shot-${i}.png`),
      });
      console.log(
        `${i + 1}. ${made.shotName ?? shot.view}${made.sceneNotice ? `\n   ${made.sceneNotice}` : ''}`,
      );
      paths.push(made.path);
    }
    await imageSheet(paths, output, 270);
    console.log(`wrote ${output}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
