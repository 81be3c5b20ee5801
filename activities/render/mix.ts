import { join } from 'node:path';
import type { Cue } from '../../core/voice-timing';
import { runFfmpegForLog } from '../media/ffmpeg';
import { loudnessDuring, measureLoudness, measuringSink, parseEbur128 } from '../media/loudness';
import { sec } from './filter-values';

/**
 * The ad's sound, mixed before the picture is rendered: the music bed (faded, and ducked under the
 * voice by a sidechain compressor the voice drives), the voiceover, and the whole brought to one
 * loudness with a true-peak ceiling. Mixing apart from the video lets the loudness be measured and
 * set exactly (two passes, in a second or so of audio-only work) instead of guessed by a
 * single-pass `loudnorm` inside the video graph, and the render then only encodes the track.
 *
 * Targets: -16 LUFS integrated (what streaming platforms and social feeds normalise speech-led
 * content to), true peak at most -1.5 dBTP after AAC encoding, so the mix is limited at -2 dBTP
 * (oversampled 4x) to leave the encoder room. The voice sits at least VOICE_OVER_MUSIC_MIN_DB
 * above the music while it speaks.
 */

export const LOUDNESS_TARGET = {
  integratedLufs: -16,
  truePeakDbtp: -1.5,
  /** The ceiling the mix is limited to before AAC adds its overshoot. */
  limiterDbtp: -2,
  /** How close the integrated loudness must land before the mix is accepted. */
  toleranceLu: 0.5,
} as const;

/** Levels each stem is brought to before mixing (LUFS, integrated). */
const VOICE_LUFS = -16;
const BED_UNDER_VOICE_LUFS = -22;
/** The voice's lead over the ducked music while it speaks; the render checks it is met. */
export const VOICE_OVER_MUSIC_MIN_DB = 10;

export interface MixVoice {
  path: string;
  cues: readonly Cue[];
}

export interface MixInput {
  totalSeconds: number;
  musicPath: string | null;
  voice: MixVoice | null;
  /** The finished track: 48 kHz stereo PCM WAV, exactly `totalSeconds` long. */
  outputPath: string;
  /** Scratch folder for the intermediate passes. */
  workDir: string;
}

export interface AudioReadout {
  integratedLufs: number;
  truePeakDbtp: number;
  /** Voice minus ducked music while the voice speaks (LU); null without both. */
  voiceToMusicDb: number | null;
  /** How far the music dips under the voice while it speaks (LU); null without both. */
  duckingDb: number | null;
}

const db = (value: number) => `${value.toFixed(2)}dB`;

/** The music bed trimmed and padded to the ad, at `gainDb`, faded in and out. */
function musicChain(inputIndex: number, total: number, gainDb: number): string {
  const fadeOut = Math.min(1.5, total / 4);
  return [
    `[${inputIndex}:a:0]atrim=duration=${sec(total)}`,
    'asetpts=PTS-STARTPTS',
    'aresample=48000',
    'aformat=sample_fmts=fltp:channel_layouts=stereo',
    // Music shorter than the ad ends in silence rather than cutting the ad short.
    `apad=whole_dur=${sec(total)}`,
    `volume=${db(gainDb)}`,
    'afade=t=in:d=0.5',
    `afade=t=out:st=${sec(total - fadeOut)}:d=${sec(fadeOut)}`,
  ].join(',');
}

function voiceChain(inputIndex: number, total: number, gainDb: number): string {
  return [
    `[${inputIndex}:a:0]aresample=48000`,
    'aformat=sample_fmts=fltp:channel_layouts=stereo',
    `apad=whole_dur=${sec(total)}`,
    `atrim=duration=${sec(total)}`,
    `volume=${db(gainDb)}`,
  ].join(',');
}

export interface MixPlan {
  musicGainDb: number;
  voiceGainDb: number;
}

/**
 * Pure: one FFmpeg run that writes the premix and measures, on the way, the mix and (with both
 * stems) each stem as it sounds in the mix (the music after ducking), and the music before it was
 * ducked: ebur128@mix, @voice, @music, @bed.
 */
export function buildMixArgs(
  input: { totalSeconds: number; musicPath: string | null; voicePath: string | null },
  plan: MixPlan,
  output: string,
): string[] {
  const total = input.totalSeconds;
  const args = ['-y'];
  const chains: string[] = [];
  let musicIndex = -1;
  let voiceIndex = -1;
  if (input.musicPath) {
    musicIndex = 0;
    args.push('-i', `file:${input.musicPath}`);
  }
  if (input.voicePath) {
    voiceIndex = musicIndex + 1;
    args.push('-i', `file:${input.voicePath}`);
  }
  if (musicIndex >= 0 && voiceIndex >= 0) {
    chains.push(musicChain(musicIndex, total, plan.musicGainDb) + ',asplit=2[bed][b1]');
    chains.push(`[b1]${measuringSink('bed')}`);
    chains.push(voiceChain(voiceIndex, total, plan.voiceGainDb) + ',asplit=3[v0][sc][v1]');
    chains.push(`[v1]${measuringSink('voice')}`);
    // The voice drives the compressor: the bed dips about 10 dB under speech and comes back in
    // a third of a second between phrases.
    chains.push(
      '[bed][sc]sidechaincompress=threshold=0.02:ratio=6:knee=4:attack=15:release=350:makeup=1,' +
        'asplit=2[duck][m1]',
    );
    chains.push(`[m1]${measuringSink('music')}`);
    chains.push('[duck][v0]amix=inputs=2:duration=first:normalize=0[premix]');
  } else if (musicIndex >= 0) {
    chains.push(musicChain(musicIndex, total, plan.musicGainDb) + '[premix]');
  } else if (voiceIndex >= 0) {
    chains.push(voiceChain(voiceIndex, total, plan.voiceGainDb) + '[premix]');
  } else {
    throw new Error('A mix needs music or a voice');
  }
  chains.push('[premix]asplit=2[mix][mm]', `[mm]${measuringSink('mix', true)}`);
  args.push('-filter_complex', chains.join(';'), '-map', '[mix]');
  args.push('-c:a', 'pcm_f32le', '-ar', '48000', '-ac', '2', '-t', sec(total), `file:${output}`);
  return args;
}

/**
 * Pure: the premix brought to the target by a gain, then (when that gain would lift its true peak
 * past the ceiling) through a limiter run at 192 kHz, which catches peaks between samples too.
 * The result is measured on the way out (ebur128@final).
 */
export function buildNormaliseArgs(
  premix: string,
  output: string,
  gainDb: number,
  limit: boolean,
  totalSeconds: number,
): string[] {
  const filters = [`[0:a]volume=${db(gainDb)}`];
  if (limit) {
    const ceiling = 10 ** (LOUDNESS_TARGET.limiterDbtp / 20);
    filters.push(
      'aresample=192000',
      // level=0: the limiter only catches peaks; it must not raise the whole track.
      `alimiter=limit=${ceiling.toFixed(4)}:attack=1:release=60:level=0`,
      'aresample=48000',
    );
  }
  return [
    '-y',
    '-i',
    `file:${premix}`,
    '-filter_complex',
    `${filters.join(',')},asplit=2[out][m];[m]${measuringSink('final', true)}`,
    '-map',
    '[out]',
    '-c:a',
    'pcm_s16le',
    '-ar',
    '48000',
    '-ac',
    '2',
    '-t',
    sec(totalSeconds),
    `file:${output}`,
  ];
}

/** Mixes and normalises the ad's sound; returns the loudness it landed on. */
export async function mixAudio(input: MixInput, signal?: AbortSignal): Promise<AudioReadout> {
  const { totalSeconds, musicPath, voice, workDir } = input;
  const [music, spoken] = await Promise.all([
    musicPath ? measureLoudness(musicPath, signal, { truePeak: false }) : null,
    voice ? measureLoudness(voice.path, signal, { truePeak: false }) : null,
  ]);
  // A silent input (ebur128 reports -70) is left as it is rather than lifted by 50 dB.
  const gainTo = (target: number, measured: number | undefined) =>
    measured !== undefined && measured > -60 ? target - measured : 0;
  const plan: MixPlan = {
    musicGainDb: gainTo(
      voice ? BED_UNDER_VOICE_LUFS : LOUDNESS_TARGET.integratedLufs,
      music?.integratedLufs,
    ),
    voiceGainDb: gainTo(VOICE_LUFS, spoken?.integratedLufs),
  };
  const premix = join(workDir, 'premix.wav');
  const mixLog = await runFfmpegForLog(
    buildMixArgs({ totalSeconds, musicPath, voicePath: voice?.path ?? null }, plan, premix),
    { signal },
  );
  const measured = parseEbur128(mixLog, 'mix');

  let gain = gainTo(LOUDNESS_TARGET.integratedLufs, measured.integratedLufs);
  let final = measured;
  // Twice at most: the limiter, when it works, takes a little loudness that the second pass adds.
  for (let pass = 0; pass < 2; pass++) {
    const limit = measured.truePeakDbtp + gain > LOUDNESS_TARGET.limiterDbtp;
    const log = await runFfmpegForLog(
      buildNormaliseArgs(premix, input.outputPath, gain, limit, totalSeconds),
      { signal },
    );
    final = parseEbur128(log, 'final');
    const miss = LOUDNESS_TARGET.integratedLufs - final.integratedLufs;
    if (final.integratedLufs <= -60 || Math.abs(miss) <= LOUDNESS_TARGET.toleranceLu / 2) break;
    gain += miss;
  }

  let voiceToMusicDb: number | null = null;
  let duckingDb: number | null = null;
  if (voice && musicPath) {
    const during = (stem: string) =>
      loudnessDuring(parseEbur128(mixLog, stem).momentary, voice.cues);
    const musicUnder = during('music');
    voiceToMusicDb = round(during('voice') - musicUnder);
    duckingDb = round(during('bed') - musicUnder);
  }
  return {
    integratedLufs: round(final.integratedLufs),
    truePeakDbtp: round(final.truePeakDbtp),
    voiceToMusicDb,
    duckingDb,
  };
}

const round = (value: number) => Math.round(value * 10) / 10;
