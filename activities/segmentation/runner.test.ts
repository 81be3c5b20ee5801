import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../../test/support/required';
import { saliencyModelsInstalled } from './model';
import { cutoutInWorker, stopSegmentationWorker } from './runner';

/**
 * The segmentation thread as activities use it: progress while a job runs, a cancelled job ends
 * the thread (and the next job gets a new one), jobs queue one behind the other, an idle thread
 * never keeps a process from exiting, and a photo past the pixel limit is refused before it is
 * decoded.
 */
const models = requiredInCi(
  'The cutout models (.tools/models)',
  saliencyModelsInstalled() ? 'installed' : undefined,
);

describe.skipIf(!models)('the segmentation thread', () => {
  let dir: string;
  let photo: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runner-'));
    photo = join(dir, 'studio.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">
      <rect width="400" height="300" fill="#eeeeec"/>
      <rect x="150" y="60" width="100" height="190" rx="20" fill="#1e7d5e"/></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(photo);
  });
  afterAll(async () => {
    await stopSegmentationWorker();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'reports progress, and a cancelled job leaves the next one a working thread',
    { timeout: 120_000 },
    async () => {
      const controller = new AbortController();
      const seen: number[] = [];
      const first = cutoutInWorker(
        { photoPath: photo, outputPath: join(dir, 'a.png') },
        {
          signal: controller.signal,
          onProgress: (f) => {
            seen.push(f);
            // Cancelled once the thread has decoded the photo: mid-job, not before it started.
            if (f >= 0.1) controller.abort(new Error('cancelled by the test'));
          },
        },
      );
      // Queued behind it: runs once the first is cancelled, on a new thread.
      const progress: number[] = [];
      const second = cutoutInWorker(
        { photoPath: photo, outputPath: join(dir, 'b.png') },
        { onProgress: (f) => progress.push(f) },
      );
      await expect(first).rejects.toThrow('cancelled by the test');
      expect(seen.some((f) => f >= 0.1)).toBe(true);
      const made = await second;
      expect(made.quality.verdict).toBe('good');
      expect(progress.at(-1)).toBe(1);
    },
  );

  it(
    'never keeps a finished process alive (a worker must stop on Ctrl-C)',
    { timeout: 120_000 },
    async () => {
      // .mts: outside the project there is no package.json saying it is an ES module.
      const script = join(dir, 'exits.mts');
      const runner = new URL('./runner.ts', import.meta.url).pathname;
      await writeFile(
        script,
        `import { cutoutInWorker } from ${JSON.stringify(runner)};\n` +
          `const made = await cutoutInWorker({ photoPath: ${JSON.stringify(photo)}, outputPath: ${JSON.stringify(join(dir, 'c.png'))} });\n` +
          `console.log(made.quality.verdict);\n`,
      );
      // The script ends without stopping the thread: the process must exit by itself.
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: dirname(dirname(dirname(runner))),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise((done) => child.once('exit', done));
      expect(out.trim()).toBe('good');
      expect(code).toBe(0);
    },
  );

  it('refuses a photo past the pixel limit without decoding it', async () => {
    const huge = join(dir, 'huge.png');
    await sharp({ create: { width: 12_000, height: 9_000, channels: 3, background: '#777777' } })
      .png({ compressionLevel: 9 })
      .toFile(huge);
    await expect(
      cutoutInWorker({ photoPath: huge, outputPath: join(dir, 'huge-out.png') }),
    ).rejects.toMatchObject({
      type: 'MEDIA_INVALID',
      message: 'The photo is larger than 100 megapixels. Use a smaller copy of it.',
    });
  });
});
