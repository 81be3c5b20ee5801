import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '../activities/media/ffmpeg';
import { createLocalVoiceGenerator } from '../activities/providers/local/voice';
import { buildVoiceTrack } from '../activities/voice/track';
import type { Cue } from '../core/voice-timing';
import { splitPhrases } from '../core/voice-script';
import { voiceById } from '../core/voices';

/**
 * The render benches' inputs (bench/render.ts, bench/render-parts.ts): four 3 s 1080p clips, a
 * music bed and an English voiceover whose phrases become captions.
 */

/**
 * Real motion in every clip. The zooming fractals are harder to encode than a generated product
 * shot; the moving test patterns are easier. Per-pixel noise is left out on purpose: it is
 * incompressible, nothing like model output, and turns the benchmark into an x264 entropy test.
 */
const SOURCES = [
  'mandelbrot=size=1920x1080:rate=30',
  'testsrc2=size=1920x1080:rate=30',
  'mandelbrot=size=1920x1080:rate=30:start_x=-0.743643887037151:start_y=0.131825904205330',
  'testsrc2=size=1920x1080:rate=30,hue=H=2*PI*t/3',
];

const SCRIPT =
  'Meet the AirRun Pro. Light as air, built to last. Run further, every day. Made for every mile. Shop now.';

export const TEXT = {
  productName: 'AirRun Pro',
  callToAction: `It's 50% off: "now"`,
  tagline: 'Lighter. Faster. Recycled.',
};

export const COLORS = { primary: '#14213D', accent: '#FCA311', text: '#FFFFFF' };

export interface RenderInputs {
  clips: string[];
  music: string;
  voice: { path: string; cues: readonly Cue[] };
}

export async function makeRenderInputs(root: string): Promise<RenderInputs> {
  const clips = await Promise.all(
    SOURCES.map(async (source, i) => {
      const path = join(root, `clip-${i}.mp4`);
      // Quality close to what video models deliver: high bitrate, so decoding costs something.
      await runFfmpeg(
        ['-y', '-f', 'lavfi', '-i', source, '-t', '3', '-c:v', 'libx264'].concat([
          '-preset',
          'veryfast',
          '-crf',
          '18',
          '-pix_fmt',
          'yuv420p',
          path,
        ]),
      );
      return path;
    }),
  );
  const music = join(root, 'music.m4a');
  await runFfmpeg(
    ['-y', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=15', '-c:a', 'aac'].concat([
      '-b:a',
      '192k',
      music,
    ]),
  );
  // The voiceover, spoken once by the offline English voice (its making is not timed).
  const voiceDir = await mkdtemp(join(root, 'voice-'));
  const spoken = await createLocalVoiceGenerator().speak({
    phrases: splitPhrases(SCRIPT, 'en'),
    voice: voiceById('local-en-slt')!,
    language: 'en',
    dir: voiceDir,
  });
  const track = await buildVoiceTrack(spoken.phrases, 12, voiceDir, join(voiceDir, 'voice.flac'));
  return { clips, music, voice: { path: track.path, cues: track.placement.cues } };
}
