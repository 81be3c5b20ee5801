import { join } from 'node:path';
import { z } from 'zod';
import { runFfmpeg } from '../../../activities/media/ffmpeg';
import { sec } from '../../../activities/render/filter-values';
import { speakOffline } from '../../../activities/voice/engines';
import {
  LANGUAGE_CODES,
  VOICE_LANGUAGES,
  defaultVoice,
  detectLanguage,
  type VoiceLanguage,
} from '../../../core/voices';
import { ModelError } from '../run-context';
import type { RunContext, RunResult } from '../run-context';

/**
 * MiniMax speech (speech-2.6-turbo's schema): the text is spoken by the offline synthesiser of its
 * language (Festival for English, eSpeak NG for the rest), `<#s#>` marks become s seconds of
 * silence, and FFmpeg encodes the MP3 (or WAV) the real model returns. Real audio, no model.
 */

export const speechInputSchema = z.object({
  text: z.string().min(1).max(10_000),
  voice_id: z.string().default('Wise_Woman'),
  speed: z.number().min(0.5).max(2).default(1),
  volume: z.number().min(0).max(10).default(1),
  pitch: z.number().int().min(-12).max(12).default(0),
  emotion: z.string().default('auto'),
  english_normalization: z.boolean().default(false),
  sample_rate: z
    .union([
      z.literal(8000),
      z.literal(16000),
      z.literal(22050),
      z.literal(24000),
      z.literal(32000),
      z.literal(44100),
    ])
    .default(32000),
  bitrate: z
    .union([z.literal(32000), z.literal(64000), z.literal(128000), z.literal(256000)])
    .default(128000),
  audio_format: z.enum(['mp3', 'wav', 'flac', 'pcm']).default('mp3'),
  channel: z.enum(['mono', 'stereo']).default('mono'),
  language_boost: z.string().default('None'),
  subtitle_enable: z.boolean().default(false),
});

const PAUSE = /<#(\d+(?:\.\d+)?)#>/g;

function languageOf(boost: string, text: string): VoiceLanguage {
  const named = LANGUAGE_CODES.find((code) => VOICE_LANGUAGES[code].minimax === boost);
  return named ?? detectLanguage(text);
}

export async function runSpeech(
  input: z.infer<typeof speechInputSchema>,
  ctx: RunContext,
): Promise<RunResult> {
  if (input.audio_format === 'pcm' || input.audio_format === 'flac') {
    throw new ModelError(`The fake speaks mp3 or wav, not ${input.audio_format}.`);
  }
  const plain = input.text.replace(PAUSE, ' ');
  const language = languageOf(input.language_boost, plain);
  const voice = defaultVoice(language, 'local');
  ctx.log(`Voice ${input.voice_id} speaking ${VOICE_LANGUAGES[language].name} (${voice.engine})`);
  // Alternating pieces of text and pauses, in order.
  const parts: Array<{ text: string } | { pause: number }> = [];
  let last = 0;
  for (const match of input.text.matchAll(PAUSE)) {
    parts.push({ text: input.text.slice(last, match.index) });
    parts.push({ pause: Math.min(10, Number(match[1])) });
    last = match.index + match[0].length;
  }
  parts.push({ text: input.text.slice(last) });

  const args = ['-y'];
  const chains: string[] = [];
  const labels: string[] = [];
  let inputs = 0;
  const rate = input.sample_rate;
  for (const [index, part] of parts.entries()) {
    if ('pause' in part) {
      chains.push(`anullsrc=r=${rate}:cl=mono,atrim=duration=${sec(part.pause)}[z${index}]`);
      labels.push(`[z${index}]`);
      continue;
    }
    if (!part.text.trim()) continue;
    const wav = join(ctx.scratchDir, `piece-${index}.wav`);
    await speakOffline(voice, part.text.trim(), wav, ctx.signal);
    args.push('-i', `file:${wav}`);
    chains.push(
      `[${inputs}:a]aresample=${rate},aformat=sample_fmts=s16:channel_layouts=mono[p${index}]`,
    );
    labels.push(`[p${index}]`);
    inputs++;
    ctx.progress((index + 1) / parts.length);
  }
  if (inputs === 0) throw new ModelError('Nothing to say: the text has no words.');
  chains.push(`${labels.join('')}concat=n=${labels.length}:v=0:a=1[out]`);
  const mp3 = input.audio_format === 'mp3';
  const file = ctx.outputFile('speech', input.audio_format, mp3 ? 'audio/mpeg' : 'audio/wav');
  const codec = mp3
    ? ['-c:a', 'libmp3lame', '-b:a', `${input.bitrate / 1000}k`]
    : ['-c:a', 'pcm_s16le'];
  args.push(
    '-filter_complex',
    chains.join(';'),
    '-map',
    '[out]',
    '-ac',
    input.channel === 'stereo' ? '2' : '1',
  );
  args.push(...codec, `file:${file.path}`);
  await runFfmpeg(args, { signal: ctx.signal });
  ctx.progress(1);
  return { output: file.url };
}
