import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredInCi } from '../../test/support/required';
import { voiceById } from '../../core/voices';
import { ffprobe } from '../media/ffmpeg';
import { SPEECH_PROGRAMS, speakOffline, synthesisCommand } from './engines';

const installed = (program: string) =>
  requiredInCi(program, spawnSync('which', [program]).status === 0 ? program : undefined);

describe('the offline synthesisers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engines-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('get the phrase in a file, never as an argument', () => {
    for (const voice of [
      voiceById('local-en-slt')!,
      voiceById('local-en-rms')!,
      voiceById('local-de')!,
    ]) {
      const { args } = synthesisCommand(voice, '/w/p.txt', '/w/p.wav');
      expect(args).toContain('/w/p.txt');
      expect(args).toContain('/w/p.wav');
    }
    expect(() =>
      synthesisCommand({ engine: 'espeak-ng', engineVoice: 'de; rm -rf' }, 'a', 'b'),
    ).toThrow();
    expect(() =>
      synthesisCommand({ engine: 'minimax', engineVoice: 'Wise_Woman' }, 'a', 'b'),
    ).toThrow();
  });

  const cases = [
    ['local-en-slt', 'Meet the AirRun Pro.', SPEECH_PROGRAMS.festival()],
    ['local-en-rms', '-v is not an option here', SPEECH_PROGRAMS.flite()],
    ['local-es', 'Cómpralas ahora.', SPEECH_PROGRAMS['espeak-ng']()],
  ] as const;
  it.each(cases.filter(([, , program]) => installed(program)))(
    '%s speaks a phrase into a WAV',
    async (id, text) => {
      const wav = join(dir, `${id}.wav`);
      await speakOffline(voiceById(id)!, text, wav);
      const audio = (await ffprobe(wav)).streams[0];
      expect(audio?.codec_type).toBe('audio');
      expect(Number(audio?.duration)).toBeGreaterThan(0.4);
    },
  );
});
