import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitPhrases } from '../../core/voice-script';
import { voiceById } from '../../core/voices';
import { requiredInCi } from '../../test/support/required';
import { runFfmpeg } from '../media/ffmpeg';
import { measureLoudness } from '../media/loudness';
import { createLocalMusicGenerator } from '../providers/local/music';
import { createLocalVoiceGenerator } from '../providers/local/voice';
import { buildVoiceTrack } from '../voice/track';
import { LOUDNESS_TARGET, VOICE_OVER_MUSIC_MIN_DB } from './mix';
import { contains, safeZone } from '../../core/render/layout';
import { productBoxInFrame } from './obstacles';
import { renderAd, type RenderedAd } from './render';

/**
 * A 9:16 ad with an English voiceover over music: the captions are read back from the frames at
 * the times their phrases are spoken (tesseract), they stay in the safe zone and off the
 * product, and the sound lands on its loudness with the voice well above the ducked music.
 */

const run = promisify(execFile);
const tesseract = requiredInCi(
  'tesseract (OCR of the captions)',
  spawnSync('tesseract', ['--version']).status === 0 ? 'tesseract' : undefined,
);
const festival = requiredInCi(
  'Festival (text2wave, the English voice)',
  spawnSync('text2wave', ['--help']).status === 0 ? 'text2wave' : undefined,
);

const SCRIPT = 'Meet the AirRun Pro. Light as air, built to last. Made for every mile. Shop now.';
const PRODUCT = { x: 0.3, y: 0.55, w: 0.4, h: 0.32 };
const WIDTH = 1080;
const HEIGHT = 1920;

let root: string;
let ad: RenderedAd;

describe.skipIf(!festival)('a 9:16 ad with a voiceover', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'voiceover-test-'));
    const clip = join(root, 'clip.mp4');
    await runFfmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc2=size=540x960:rate=30', '-t', '3'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip],
    ]);
    const music = join(root, 'music.m4a');
    await createLocalMusicGenerator().generateMusic({
      genre: 'upbeat',
      durationSeconds: 10,
      seed: 3,
      outputPath: music,
    });
    const phrases = splitPhrases(SCRIPT, 'en');
    const spoken = await createLocalVoiceGenerator().speak({
      phrases,
      voice: voiceById('local-en-slt')!,
      language: 'en',
      dir: root,
    });
    const track = await buildVoiceTrack(spoken.phrases, 10, root, join(root, 'voice.flac'));
    ad = await renderAd({
      clips: [0, 1, 2].map(() => ({ path: clip, width: 540, height: 960, productBox: PRODUCT })),
      productName: 'AirRun Pro',
      callToAction: 'Shop now',
      tagline: 'Lighter. Faster.',
      colors: { primary: '#14213d', accent: '#fca311', text: '#ffffff' },
      musicPath: music,
      voice: { path: track.path, cues: track.placement.cues },
      outputPath: join(root, 'ad.mp4'),
      width: WIDTH,
      height: HEIGHT,
      durationSeconds: 10,
      encoder: { preset: 'ultrafast' },
    });
  }, 240_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('captions every phrase, in the safe zone, never over the product', () => {
    expect(ad.captions.map((c) => c.text)).toEqual(splitPhrases(SCRIPT, 'en'));
    const zone = safeZone(WIDTH, HEIGHT);
    const product = productBoxInFrame(
      { width: 540, height: 960, productBox: PRODUCT },
      { width: WIDTH, height: HEIGHT },
    )!;
    // While a clip (and so the product) is on screen.
    const clipTimes = ad.timeline.segments
      .filter((s) => s.clipIndex !== null)
      .map((s) => ({ start: s.startSeconds, end: s.startSeconds + s.shownSeconds }));
    const duringClips = ad.captions.filter((c) =>
      clipTimes.some((t) => c.startSeconds < t.end && c.endSeconds > t.start),
    );
    expect(duringClips.length).toBeGreaterThanOrEqual(2);
    for (const caption of ad.captions) {
      expect(contains(zone, caption)).toBe(true);
      expect(caption.overlaps).toEqual([]);
    }
    for (const caption of duringClips) {
      const apart =
        caption.y + caption.height <= product.y ||
        caption.y >= product.y + product.height ||
        caption.x + caption.width <= product.x ||
        caption.x >= product.x + product.width;
      expect(apart).toBe(true);
    }
  });

  it.skipIf(!tesseract)('shows the words of two phrases while they are spoken', async () => {
    for (const [index, words] of [
      [0, /AirRun/i],
      [1, /Light as air/i],
    ] as const) {
      const caption = ad.captions[index]!;
      const at = (caption.startSeconds + caption.endSeconds) / 2;
      const frame = join(root, `frame-${index}.png`);
      await runFfmpeg(['-ss', at.toFixed(3), '-i', ad.path, '-frames:v', '1', frame]);
      const margin = 16;
      const crop = join(root, `caption-${index}.png`);
      await sharp(frame)
        .extract({
          left: caption.x - margin,
          top: caption.y - margin,
          width: caption.width + 2 * margin,
          height: caption.height + 2 * margin,
        })
        .toFile(crop);
      const { stdout } = await run('tesseract', [crop, '-', '-l', 'eng', '--psm', '6']);
      expect(stdout).toMatch(words);
      // And not the other phrase's words: the caption changes with the voice.
      expect(stdout).not.toMatch(index === 0 ? /Light as air/i : /AirRun/i);
    }
  });

  it('lands on the loudness target with the voice well above the ducked music', async () => {
    const measured = await measureLoudness(ad.path);
    expect(Math.abs(measured.integratedLufs - LOUDNESS_TARGET.integratedLufs)).toBeLessThanOrEqual(
      1,
    );
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(LOUDNESS_TARGET.truePeakDbtp);
    expect(ad.audio?.voiceToMusicDb).toBeGreaterThanOrEqual(VOICE_OVER_MUSIC_MIN_DB);
    // The music dips under the voice and comes back between phrases.
    expect(ad.audio?.duckingDb).toBeGreaterThanOrEqual(6);
  });
});
