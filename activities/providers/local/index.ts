import type { Providers } from '../types';
import { createLocalClipGenerator } from './clip';
import { createLocalCutter } from './cutout';
import { createLocalImageGenerator } from './image';
import { createLocalMusicGenerator } from './music';
import { createLocalPlanner } from './planner';
import { createLocalVoiceGenerator } from './voice';

/**
 * The offline studio: real images, clips and music made on this machine with SVG, FFmpeg and a
 * small synthesiser, and voices from offline speech synthesisers. No AI models, no network, no cost; every output is reproducible from its seed.
 */
export function createLocalProviders(): Providers {
  return {
    name: 'local',
    planner: createLocalPlanner(),
    images: createLocalImageGenerator(),
    clips: createLocalClipGenerator(),
    music: createLocalMusicGenerator(),
    voices: createLocalVoiceGenerator(),
    cutouts: createLocalCutter(),
  };
}
