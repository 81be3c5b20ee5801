import { sec } from './filter-values';

/**
 * Music trimmed to the ad, brought to a consistent loudness, then faded. The fades come after
 * loudnorm, which would otherwise lift them back up.
 */
export function musicBed(inputIndex: number, total: number): string {
  const fadeOut = Math.min(1.5, total / 4);
  return [
    `[${inputIndex}:a:0]atrim=duration=${sec(total)}`,
    'asetpts=PTS-STARTPTS',
    'loudnorm=I=-16:TP=-1.5:LRA=11',
    'aresample=48000',
    'aformat=sample_fmts=fltp:channel_layouts=stereo',
    // Music shorter than the ad ends in silence rather than cutting the video short.
    `apad=whole_dur=${sec(total)}`,
    'afade=t=in:d=0.5',
    `afade=t=out:st=${sec(total - fadeOut)}:d=${sec(fadeOut)}`,
  ].join(',');
}

/** A silent track so players that expect audio (and autoplay rules) behave. */
export function silence(total: number): string {
  return `anullsrc=r=48000:cl=stereo,atrim=duration=${sec(total)}`;
}
