import { sec } from './filter-values';

/**
 * A silent track for an ad without music or voice, so players that expect audio (and autoplay
 * rules) behave. Everything audible is mixed beforehand (mix.ts).
 */
export function silence(total: number): string {
  return `anullsrc=r=48000:cl=stereo,atrim=duration=${sec(total)}`;
}
