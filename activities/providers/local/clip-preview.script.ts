import { createLocalClipGenerator } from './clip';
import { CAMERA_MOVES } from '../../../core/options';
const clips = createLocalClipGenerator();
const img = process.argv[2] ?? '/tmp/local-preview/pink-tennis-shoes-side.png';
for (const motion of CAMERA_MOVES) {
  const t = Date.now();
  await clips.generateClip({ imagePath: img, motion, prompt: '', seed: 1, durationSeconds: 3, fps: 30, width: 1920, height: 1080, outputPath: `/tmp/local-preview/clip-${motion}.mp4` });
  console.log(motion, (Date.now() - t) / 1000, 's');
}
