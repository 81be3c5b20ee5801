import { join } from 'node:path';
import { speakOffline } from '../../voice/engines';
import type { VoiceGenerator } from '../types';

const MODEL = 'local/offline-speech-v1';

/**
 * Offline voices: every phrase spoken on its own by the voice's synthesiser (Festival, Flite or
 * eSpeak NG), so its length, and so its caption's timing, is exact. Free and reproducible.
 */
export function createLocalVoiceGenerator(): VoiceGenerator {
  return {
    async speak({ phrases, voice, dir }, ctx) {
      const spoken = [];
      for (const [index, text] of phrases.entries()) {
        ctx?.signal?.throwIfAborted();
        const path = join(dir, `phrase-${index}.wav`);
        await speakOffline(voice, text, path, ctx?.signal);
        spoken.push({ text, path });
        ctx?.onProgress?.((index + 1) / phrases.length);
      }
      return {
        phrases: spoken,
        model: `${MODEL}:${voice.engine}/${voice.engineVoice}`,
        costUsd: 0,
      };
    },
  };
}
