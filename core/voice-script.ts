import type { VoiceLanguage } from './voices';

/**
 * How much a voiceover can say in an ad of a given length, and how it is cut into the phrases
 * that are spoken (and captioned) one by one. Pure: the compose form's counter, the planners, the
 * compose validator and the synthesis all use the same numbers.
 */

/**
 * Units an ad voice reads per second: words, or characters for scripts without spaces. A little
 * below the offline synthesisers' pace (eSpeak NG reads 175 words a minute, Festival's slt about
 * 165), so a script the counter accepts fits once spoken; brisk ad reads run 150-170 wpm.
 */
export const SPEAKING_RATE: Record<
  VoiceLanguage,
  { unit: 'word' | 'character'; perSecond: number }
> = {
  en: { unit: 'word', perSecond: 2.5 },
  de: { unit: 'word', perSecond: 2.2 },
  es: { unit: 'word', perSecond: 2.7 },
  fr: { unit: 'word', perSecond: 2.6 },
  it: { unit: 'word', perSecond: 2.6 },
  pt: { unit: 'word', perSecond: 2.6 },
  nl: { unit: 'word', perSecond: 2.4 },
  sv: { unit: 'word', perSecond: 2.4 },
  da: { unit: 'word', perSecond: 2.4 },
  nb: { unit: 'word', perSecond: 2.4 },
  fi: { unit: 'word', perSecond: 1.9 },
  pl: { unit: 'word', perSecond: 2.2 },
  cs: { unit: 'word', perSecond: 2.2 },
  ro: { unit: 'word', perSecond: 2.5 },
  tr: { unit: 'word', perSecond: 2.0 },
  el: { unit: 'word', perSecond: 2.3 },
  ru: { unit: 'word', perSecond: 2.1 },
  uk: { unit: 'word', perSecond: 2.1 },
  ar: { unit: 'word', perSecond: 2.0 },
  hi: { unit: 'word', perSecond: 2.4 },
  zh: { unit: 'character', perSecond: 4.0 },
  ja: { unit: 'character', perSecond: 5.0 },
  ko: { unit: 'character', perSecond: 4.0 },
};

/** The voice starts this soon, so the hook is heard in the first two seconds. */
export const VOICE_LEAD_IN_SECONDS = 0.25;
/** The call to action ends this long before the ad does. */
export const VOICE_TAIL_SECONDS = 0.4;
/** Silence between phrases; the captions change in it. */
export const PHRASE_GAP_SECONDS = 0.25;
/** The hook must be spoken by then. */
export const HOOK_BY_SECONDS = 2;
/** Most characters a script may have, whatever the length of the ad. */
export const MAX_SCRIPT_CHARS = 600;

/** Longest phrase in units: two caption lines that a viewer reads in the time it is spoken. */
const MAX_PHRASE_UNITS = { word: 7, character: 14 } as const;

/** Characters of scripts written without spaces between words. */
const NO_SPACES = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

/** Words, or non-space characters for languages counted in characters. */
export function countUnits(text: string, language: VoiceLanguage): number {
  if (SPEAKING_RATE[language].unit === 'character') {
    return Array.from(text.replace(/[\s\p{P}]/gu, '')).length;
  }
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}

/** Seconds the text takes at the language's rate, without pauses. */
export function speakingSeconds(text: string, language: VoiceLanguage): number {
  return countUnits(text, language) / SPEAKING_RATE[language].perSecond;
}

/** Seconds of the ad the voice may fill: from the lead-in to just before the end. */
export function speechWindowSeconds(durationSeconds: number): number {
  return Math.max(0, durationSeconds - VOICE_LEAD_IN_SECONDS - VOICE_TAIL_SECONDS);
}

/** The most units a script may have in an ad of this length, pauses between phrases included. */
export function maxUnits(durationSeconds: number, language: VoiceLanguage): number {
  const rate = SPEAKING_RATE[language];
  const window = speechWindowSeconds(durationSeconds);
  // Phrases average about five units (words) or ten characters, each followed by a pause.
  const perPhrase = rate.unit === 'word' ? 5 : 10;
  const secondsPerUnit = 1 / rate.perSecond + PHRASE_GAP_SECONDS / perPhrase;
  return Math.max(1, Math.floor(window / secondsPerUnit));
}

export interface ScriptFit {
  language: VoiceLanguage;
  unit: 'word' | 'character';
  units: number;
  maxUnits: number;
  /** Spoken length with pauses, at the language's rate. */
  estimatedSeconds: number;
  fits: boolean;
  /** Seconds until the first phrase (the hook) has been said. */
  hookEndsAtSeconds: number;
  hookInTime: boolean;
  phrases: string[];
}

/** Whether a script fits an ad of this length, with the figures the counter shows. */
export function scriptFit(
  script: string,
  durationSeconds: number,
  language: VoiceLanguage,
): ScriptFit {
  const phrases = splitPhrases(script, language);
  const units = countUnits(script, language);
  const rate = SPEAKING_RATE[language].perSecond;
  const estimatedSeconds =
    units / rate + Math.max(0, phrases.length - 1) * PHRASE_GAP_SECONDS + VOICE_LEAD_IN_SECONDS;
  const hookEndsAtSeconds =
    VOICE_LEAD_IN_SECONDS + (phrases[0] ? countUnits(phrases[0], language) / rate : 0);
  const limit = maxUnits(durationSeconds, language);
  return {
    language,
    unit: SPEAKING_RATE[language].unit,
    units,
    maxUnits: limit,
    estimatedSeconds,
    fits: units > 0 && units <= limit,
    hookEndsAtSeconds,
    hookInTime: hookEndsAtSeconds <= HOOK_BY_SECONDS,
    phrases,
  };
}

/** One sentence per piece, its closing punctuation kept. */
function sentences(text: string): string[] {
  // A full stop ends a sentence only before a space ("3.5 kg" stays whole); CJK marks need none.
  return text
    .split(/(?<=[.!?…؟])\s+|(?<=[。！？])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Splits at clause marks (commas, colons, dashes) first, then into even runs of words. */
function shorten(sentence: string, language: VoiceLanguage, limit: number): string[] {
  if (countUnits(sentence, language) <= limit) return [sentence];
  const clauses = sentence.match(/[^,;:，、；：—–]+(?:[,;:，、；：—–]+|$)/gu) ?? [sentence];
  if (clauses.length > 1) {
    // Greedy: clauses join while they fit in one phrase.
    const out: string[] = [];
    let current = '';
    for (const clause of clauses.map((c) => c.trim())) {
      const joined = current ? `${current} ${clause}` : clause;
      if (current && countUnits(joined, language) > limit) {
        out.push(current);
        current = clause;
      } else {
        current = joined;
      }
    }
    if (current) out.push(current);
    if (out.length > 1) return out.flatMap((part) => shorten(part, language, limit));
  }
  const spaced = !NO_SPACES.test(sentence);
  const pieces = spaced ? sentence.split(/\s+/) : Array.from(sentence);
  const parts = Math.ceil(countUnits(sentence, language) / limit);
  const size = Math.ceil(pieces.length / parts);
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i += size) {
    out.push(pieces.slice(i, i + size).join(spaced ? ' ' : ''));
  }
  return out;
}

/**
 * The script as spoken phrases: sentences, long ones cut at their clauses, then into even runs
 * of words, so each phrase fits two caption lines. The last phrase is the call to action.
 */
export function splitPhrases(script: string, language: VoiceLanguage): string[] {
  const limit = MAX_PHRASE_UNITS[SPEAKING_RATE[language].unit];
  const flat = script.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  return sentences(flat)
    .flatMap((sentence) => shorten(sentence, language, limit))
    .map((phrase) => phrase.trim())
    .filter((phrase) => countUnits(phrase, language) > 0);
}
