import { createLocalPlanner } from './planner';
import { createLocalImageGenerator } from './image';

const planner = createLocalPlanner();
const images = createLocalImageGenerator();
const prompts = process.argv.slice(2);
for (const prompt of prompts) {
  const plan = await planner.planShots({ prompt, count: 6, aspectRatio: '16:9' });
  console.log(prompt, plan.product, plan.style);
  for (const shot of plan.shots) {
    const t = Date.now();
    const slug = prompt.replace(/\W+/g, '-');
    await images.generateImage({ prompt: shot.prompt, view: shot.view, seed: plan.seed, style: plan.style, product: plan.product, width: 1920, height: 1080, outputPath: `/tmp/local-preview/${slug}-${shot.view}.png` });
    console.log(shot.view, Date.now() - t, 'ms');
  }
}
