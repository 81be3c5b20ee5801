import { join } from 'node:path';
import type { ModelRequest, ReplicateCapability } from '../../../core/replicate-models';
import { VOICE_LANGUAGES } from '../../../core/voices';
import { splitAtPauses } from '../../voice/split';
import { createLocalVoiceGenerator } from '../local/voice';
import type { Billing, CallContext, VoiceGenerator } from '../types';
import type { MediaKind } from './download';

/** media.ts's runner: one prediction through the lifecycle, its first output saved to a file. */
export type RunToFile = (
  capability: ReplicateCapability,
  purpose: string,
  request: ModelRequest,
  kind: MediaKind,
  downloadPath: string,
  ctx: CallContext | undefined,
) => Promise<Billing>;

/** The pause marked between phrases (MiniMax reads `<#s#>` as s seconds of silence). */
const PAUSE_MARK = ' <#0.6#> ';

/**
 * Voices on Replicate: the whole script in one prediction of the table's speech model (paid and
 * recorded once through the lifecycle), with a pause mark between phrases, then cut back into
 * its phrases at those pauses for the captions. Offline voices chosen in a Replicate session are
 * spoken offline, free.
 */
export function createReplicateVoices(runToFile: RunToFile): VoiceGenerator {
  const offline = createLocalVoiceGenerator();
  return {
    async speak(input, ctx) {
      if (input.voice.engine !== 'minimax') return offline.speak(input, ctx);
      const recording = join(input.dir, 'voice.model');
      const run = await runToFile(
        'voice',
        'voice',
        {
          prompt: input.phrases.join(PAUSE_MARK),
          voice: input.voice.engineVoice,
          language: VOICE_LANGUAGES[input.language].minimax,
        },
        'audio',
        recording,
        ctx,
      );
      const phrases = await splitAtPauses(recording, input.phrases, input.dir, ctx?.signal);
      return { ...run, phrases };
    },
  };
}
