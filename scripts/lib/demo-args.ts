import { parseArgs } from 'node:util';
import { ASPECT_RATIOS, MODEL_TIERS, PROVIDERS } from '../../core/options';
import type { AspectRatio, ModelTier, ProviderName } from '../../core/options';

/** `npm run demo -- [--provider replicate] [--tier draft] [--aspect 9:16] [--photo f] [--name n] [--cta c] prompt` */
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
  };
}
