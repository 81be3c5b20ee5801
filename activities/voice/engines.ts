import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Voice } from '../../core/voices';

/**
 * The offline speech synthesisers, each a Debian package run as its own program (so eSpeak NG's
 * GPL stays on its side of a process boundary): Festival (`text2wave`) with the HTS voice slt,
 * Flite, and eSpeak NG. The phrase reaches them in a UTF-8 file, never on a command line, and the
 * voice comes from our own table, so nothing the person typed becomes an argument.
 */

const run = promisify(execFile);

/** Festival's voice functions for our engine voice names. */
const FESTIVAL_VOICES: Record<string, string> = { slt: '(voice_cmu_us_slt_arctic_hts)' };
const FLITE_VOICES = new Set(['slt', 'rms', 'awb', 'kal']);

/** The programs, found on PATH (the bootstrap installs them from Debian). */
export const SPEECH_PROGRAMS = {
  festival: () => 'text2wave',
  flite: () => 'flite',
  'espeak-ng': () => 'espeak-ng',
} as const;

/** Pure: the program and arguments that speak `textFile` into `wavFile`. */
export function synthesisCommand(
  voice: Pick<Voice, 'engine' | 'engineVoice'>,
  textFile: string,
  wavFile: string,
): { program: string; args: string[] } {
  switch (voice.engine) {
    case 'festival': {
      const select = FESTIVAL_VOICES[voice.engineVoice];
      if (!select) throw new Error(`Festival has no voice ${voice.engineVoice}`);
      return {
        program: SPEECH_PROGRAMS.festival(),
        args: ['-eval', select, '-o', wavFile, textFile],
      };
    }
    case 'flite':
      if (!FLITE_VOICES.has(voice.engineVoice))
        throw new Error(`Flite has no voice ${voice.engineVoice}`);
      return {
        program: SPEECH_PROGRAMS.flite(),
        args: ['-voice', voice.engineVoice, '-f', textFile, '-o', wavFile],
      };
    case 'espeak-ng':
      if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(voice.engineVoice))
        throw new Error(`Not an eSpeak NG voice: ${voice.engineVoice}`);
      // 165 words a minute: a little under eSpeak's default 175, closer to an ad read.
      return {
        program: SPEECH_PROGRAMS['espeak-ng'](),
        args: ['-v', voice.engineVoice, '-s', '165', '-f', textFile, '-w', wavFile],
      };
    case 'minimax':
      throw new Error('MiniMax voices are spoken on Replicate, not offline.');
  }
}

export class SpeechEngineMissingError extends Error {
  constructor(readonly program: string) {
    super(
      `The speech synthesiser ${program} is not installed. Run "npm run setup" (it installs ` +
        'festival, festvox-us-slt-hts, flite and espeak-ng), or switch the voice off.',
    );
    this.name = 'SpeechEngineMissingError';
  }
}

/** Speaks one phrase into a WAV file with an offline voice. */
export async function speakOffline(
  voice: Pick<Voice, 'engine' | 'engineVoice'>,
  text: string,
  wavFile: string,
  signal?: AbortSignal,
): Promise<void> {
  const textFile = `${wavFile}.txt`;
  await writeFile(textFile, `${text}\n`, 'utf8');
  const { program, args } = synthesisCommand(voice, textFile, wavFile);
  try {
    await run(program, args, { signal, timeout: 60_000, maxBuffer: 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new SpeechEngineMissingError(program);
    throw error;
  }
}
