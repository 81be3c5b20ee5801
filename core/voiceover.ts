import { AD_TIMING } from './ad-timing';
import type { ProviderName } from './options';
import type { VoiceoverChoice } from './session';
import { scriptFit } from './voice-script';
import {
  VOICE_LANGUAGES,
  defaultVoice,
  detectLanguage,
  speaks,
  voiceById,
  voicesFor,
  type VoiceLanguage,
} from './voices';

/**
 * A composition's voiceover, from what the person sent to what the session keeps: the language
 * (said, the offline voice's own, or read from the script) and the voice (chosen, or the
 * provider's best for that language). Pure: the workflow runs it in its handler and validator.
 */

export interface VoiceoverRequest {
  enabled: boolean;
  script: string;
  voiceId?: string | undefined;
  language?: VoiceLanguage | undefined;
}

/** The length a voiceover is fitted to: the ad's, or the shortest ad for sessions without one. */
export function voiceoverSeconds(durationSeconds: number | undefined): number {
  return durationSeconds ?? AD_TIMING.minTotal;
}

export function resolveVoiceover(
  request: VoiceoverRequest | undefined,
  provider: ProviderName,
): VoiceoverChoice | undefined {
  if (!request) return undefined;
  const script = request.script.trim();
  const chosen = request.voiceId ? voiceById(request.voiceId) : undefined;
  const language = request.language ?? chosen?.language ?? detectLanguage(script);
  const voice = chosen ?? defaultVoice(language, provider);
  return { enabled: request.enabled, script, voiceId: voice.id, language };
}

/** Why the voiceover cannot be spoken in this session, in words a person can act on. */
export function voiceoverProblem(
  choice: VoiceoverChoice | undefined,
  provider: ProviderName,
  durationSeconds: number | undefined,
): string | undefined {
  if (!choice?.enabled) return undefined;
  const voice = voiceById(choice.voiceId);
  if (!voice) return `There is no voice ${choice.voiceId}.`;
  if (!voicesFor(provider).includes(voice)) {
    return `The voice "${voice.label}" is not offered to ${provider} sessions. Choose another.`;
  }
  const languageName = VOICE_LANGUAGES[choice.language].name;
  if (!speaks(voice, choice.language)) {
    return `The voice "${voice.label}" does not speak ${languageName}. Choose a voice for it.`;
  }
  const seconds = voiceoverSeconds(durationSeconds);
  const fit = scriptFit(choice.script, seconds, choice.language);
  if (fit.units === 0) return 'Write the voiceover, or switch the voice off.';
  if (!fit.fits) {
    const unit = fit.unit === 'word' ? 'words' : 'characters';
    return (
      `The voiceover has ${fit.units} ${unit}; a ${seconds} s ad has room for about ` +
      `${fit.maxUnits} in ${languageName}. Shorten it.`
    );
  }
  return undefined;
}
