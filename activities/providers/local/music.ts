import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MUSIC_AUDIO_OUTPUT } from '../../media/encoders';
import { runFfmpeg } from '../../media/ffmpeg';
import type { MusicGenerator } from '../types';
import { synthesize } from './synth/synth';
import { encodeWav } from './synth/wav';

/**
 * Offline music generator: synthesises a genre-shaped loop in TypeScript, writes a WAV and
 * encodes it to AAC with FFmpeg. No model, no network; same seed and genre, same track.
 */

const MODEL = 'local/synth-v1';

export function createLocalMusicGenerator(): MusicGenerator {
  return {
    async generateMusic(input, ctx) {
      const { outputPath, durationSeconds } = input;
      await mkdir(dirname(outputPath), { recursive: true });
      const track = synthesize({ genre: input.genre, seed: input.seed, durationSeconds });
      ctx?.onProgress?.(0.5);
      const wavPath = `${outputPath}.source.wav`;
      try {
        await writeFile(wavPath, encodeWav(track.left, track.right, track.sampleRate));
        await runFfmpeg(
          ['-y', '-i', wavPath, '-t', String(durationSeconds), ...MUSIC_AUDIO_OUTPUT, outputPath],
          {
            signal: ctx?.signal,
            onProgress: (p) =>
              ctx?.onProgress?.(
                p.done ? 1 : 0.5 + 0.5 * Math.min(1, p.outTimeSeconds / durationSeconds),
              ),
          },
        );
      } finally {
        await rm(wavPath, { force: true });
      }
      return {
        path: outputPath,
        mime: 'audio/mp4',
        durationSeconds,
        bpm: track.bpm,
        model: MODEL,
        costUsd: 0,
      };
    },
  };
}
