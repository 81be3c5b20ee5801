import { parseArgs } from 'node:util';
import { AD_SECONDS, ASPECT_RATIOS, MODEL_TIERS, PROVIDERS } from '../../core/options';
import type { AspectRatio, ModelTier, ProviderName } from '../../core/options';

/**
 * `npm run demo -- [--provider replicate] [--tier draft] [--aspect 9:16] [--photo f] [--name n]
 * [--cta c] [--voice "script"] [--voice-id id] [--duration s] [--sheet frames.jpg] [--image-sheet images.jpg] prompt`
 */
export function parseDemoArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      provider: { type: 'string', default: 'local' },
      tier: { type: 'string', default: 'standard' },
      aspect: { type: 'string', default: '16:9' },
      photo: { type: 'string' },
      name: { type: 'string' },
      cta: { type: 'string' },
      voice: { type: 'string' },
      'voice-id': { type: 'string' },
      duration: { type: 'string' },
      sheet: { type: 'string' },
      'image-sheet': { type: 'string' },
    },
  });
  const oneOf = <T extends string>(name: string, value: string, allowed: readonly T[]): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new Error(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  };
  return {
    prompt: positionals.join(' ').trim() || 'pink tennis shoes',
    provider: oneOf<ProviderName>('provider', values.provider, PROVIDERS),
    tier: oneOf<ModelTier>('tier', values.tier, MODEL_TIERS),
    aspect: oneOf<AspectRatio>('aspect', values.aspect, ASPECT_RATIOS),
    photo: values.photo,
    name: values.name,
    cta: values.cta,
    /** A voiceover script ("planner" reads the one the planner wrote). */
    voice: values.voice,
    voiceId: values['voice-id'],
    durationSeconds: values.duration === undefined ? undefined : wholeSeconds(values.duration),
    /** Where to write a contact sheet of the ad's frames at its spoken phrases. */
    sheet: values.sheet,
    /** Where to write a contact sheet of the session's generated images. */
    imageSheet: values['image-sheet'],
  };
}

function wholeSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < AD_SECONDS.min || seconds > AD_SECONDS.max) {
    throw new Error(
      `--duration must be a whole number of seconds, ${AD_SECONDS.min} to ${AD_SECONDS.max}`,
    );
  }
  return seconds;
}
