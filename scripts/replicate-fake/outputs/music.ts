import { join } from 'node:path';
import { z } from 'zod';
import type { MusicGenre } from '../../../core/options';
import { runFfmpeg } from '../../../activities/media/ffmpeg';
import { createLocalMusicGenerator } from '../../../activities/providers/local/music';
import { resolveSeed } from '../inputs';
import type { RunContext, RunResult } from '../run-context';

/**
 * MusicGen: the local synthesiser plays a genre guessed from the prompt's words, and FFmpeg
 * encodes it to the WAV or MP3 the real model returns.
 */

export const musicInputSchema = z.object({
  prompt: z.string().default(''),
  duration: z.number().int().min(1).max(60).default(8),
  model_version: z
    .enum(['stereo-melody-large', 'stereo-large', 'melody-large', 'large'])
    .default('stereo-melody-large'),
  output_format: z.enum(['wav', 'mp3']).default('wav'),
  normalization_strategy: z.string().optional(),
  top_k: z.number().optional(),
  top_p: z.number().optional(),
  temperature: z.number().optional(),
  classifier_free_guidance: z.number().optional(),
  seed: z.number().int().optional(),
});

const GENRE_WORDS: Array<[MusicGenre, RegExp]> = [
  ['electronic', /\b(electronic|edm|synth\w*|techno|house|trance|dance)\b/],
  ['cinematic', /\b(cinematic|epic|orchestra\w*|trailer|dramatic|film)\b/],
  ['ambient', /\b(ambient|calm|chill|relax\w*|atmospheric|dreamy|soft)\b/],
  ['acoustic', /\b(acoustic|guitar|folk|piano|unplugged|warm)\b/],
  ['upbeat', /\b(upbeat|happy|pop|energetic|bright|fun)\b/],
];

export function genreFromPrompt(prompt: string): MusicGenre {
  const text = prompt.toLowerCase();
  return GENRE_WORDS.find(([, words]) => words.test(text))?.[0] ?? 'upbeat';
}

export async function runMusic(
  input: z.infer<typeof musicInputSchema>,
  ctx: RunContext,
): Promise<RunResult> {
  const seed = resolveSeed(input.seed, ctx);
  const genre = genreFromPrompt(input.prompt);
  ctx.log(`Genre: ${genre}`);
  const aacPath = join(ctx.scratchDir, 'music.m4a');
  await createLocalMusicGenerator().generateMusic(
    { genre, durationSeconds: input.duration, seed: seed >>> 0, outputPath: aacPath },
    { signal: ctx.signal, onProgress: (p) => ctx.progress(p * 0.8) },
  );
  const mp3 = input.output_format === 'mp3';
  const file = ctx.outputFile('out', input.output_format, mp3 ? 'audio/mpeg' : 'audio/wav');
  const codec = mp3 ? ['-c:a', 'libmp3lame', '-b:a', '192k'] : ['-c:a', 'pcm_s16le'];
  await runFfmpeg(['-y', '-i', aacPath, '-vn', ...codec, file.path], { signal: ctx.signal });
  ctx.progress(1);
  return { output: file.url };
}
