import type { BeatRole } from '../../../core/options';
import type { ProductSpec, StyleSpec } from '../../../core/session';
import { HOOK_BY_SECONDS, scriptFit } from '../../../core/voice-script';
import type { VoiceoverDraft } from '../types';
import { createRandom, hashString, pick } from './random';

/**
 * The rule-based voiceover: one line per beat of the ad, in play order, from hand-written lines
 * filled with the product's name, colour, material and kind and the style's mood. The hook comes
 * first and is short enough to be heard within two seconds, the call to action closes it, and
 * lines between are added (most important beat first) only while the script still fits the
 * ad's length at the language's speaking rate. English only; the person edits it in any language.
 */

const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Where the product lives, by kind: the lifestyle line. */
const LIFESTYLE: Record<string, string[]> = {
  shoe: ['From the court to the street.', 'Made for every mile.'],
  bottle: ['Wherever the day takes you.', 'Refill, repeat, go.'],
  watch: ['Every second, in style.', 'Time looks good on you.'],
  headphones: ['Your sound, everywhere.', 'Tune out the noise.'],
  bag: ['Carry more, worry less.', 'Ready for anywhere.'],
  mug: ['Your morning, upgraded.', 'Every sip, a moment.'],
  phone: ['Everything, in your hand.', 'Your world, in one touch.'],
  lipstick: ['Your colour, all day.', 'Made to be noticed.'],
  jar: ['A little luxury, every day.', 'Your ritual, refined.'],
  box: ['Made for every day.', 'Ready when you are.'],
};

export function writeVoiceover(input: {
  product: ProductSpec;
  style: Pick<StyleSpec, 'mood'>;
  /** The beats of the ad in the order they play (hook first, call to action last). */
  roles: readonly BeatRole[];
  durationSeconds: number;
  seed?: string | undefined;
}): VoiceoverDraft {
  const { product, style, durationSeconds } = input;
  const random = createRandom(hashString(input.seed ?? `${product.name}|${style.mood}`));
  const subject = `${product.colourName} ${product.name}`.trim();
  const hookLines = [
    `${cap(subject)}, reimagined.`,
    `Meet your new ${product.name}.`,
    `Ready for ${product.colourName}?`,
    'This changes everything.',
  ];
  // The hook must be said by the two-second mark: the first candidate short enough.
  const hooks = [pick(random, hookLines), ...hookLines];
  const hook =
    hooks.find(
      (line) => scriptFit(line, durationSeconds, 'en').hookEndsAtSeconds <= HOOK_BY_SECONDS,
    ) ?? 'Look closer.';
  const mood = style.mood.split(/\s+and\s+|,\s*/)[0]?.trim() || 'bold';
  const byBeat: Record<Exclude<BeatRole, 'hook' | 'call_to_action'>, string[]> = {
    reveal: [`${cap(product.material)}, made to last.`, 'Every curve, considered.'],
    feature: [`${cap(mood)} by design.`, 'Built around you.'],
    lifestyle: LIFESTYLE[product.kind] ?? LIFESTYLE.box!,
  };
  const cta = pick(random, ['Shop now.', 'Get yours today.', 'Find yours today.']);

  // Middle beats in play order, each once; longer ads take a second line of the same beats.
  const middle = input.roles.filter(
    (role): role is keyof typeof byBeat => role !== 'hook' && role !== 'call_to_action',
  );
  const order: Array<keyof typeof byBeat> = middle.length ? middle : ['reveal', 'lifestyle'];
  const candidates: string[] = [];
  for (let round = 0; round < 2; round++) {
    for (const role of new Set(order)) {
      const line = byBeat[role][round];
      if (line && !candidates.includes(line)) candidates.push(line);
    }
  }
  const lines = [hook];
  // In order of importance: the first line that does not fit ends the script.
  for (const line of candidates) {
    if (!scriptFit([...lines, line, cta].join(' '), durationSeconds, 'en').fits) break;
    lines.push(line);
  }
  const script = [...lines, cta].join(' ');
  const fit = scriptFit(script, durationSeconds, 'en');
  // Very short ads: the hook and the call to action alone.
  return { script: fit.fits ? script : `${hook} ${cta}`, language: 'en' };
}
