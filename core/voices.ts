import type { ProviderName } from './options';

/**
 * The voices an ad can speak with, and the languages they speak. Pure and shared: the compose
 * form lists them, the workflow resolves the voice of a script, the activities pick the engine.
 *
 * Offline voices come from Debian packages the bootstrap installs (README: "Voices"): Festival
 * with the HTS voice slt and Flite for English, eSpeak NG for every other language. The
 * Replicate voices are MiniMax system voices; they speak every language of VOICE_LANGUAGES.
 */

export const VOICE_LANGUAGES = {
  en: { name: 'English', espeak: 'en-us', minimax: 'English' },
  de: { name: 'Deutsch', espeak: 'de', minimax: 'German' },
  es: { name: 'Español', espeak: 'es', minimax: 'Spanish' },
  fr: { name: 'Français', espeak: 'fr-fr', minimax: 'French' },
  it: { name: 'Italiano', espeak: 'it', minimax: 'Italian' },
  pt: { name: 'Português', espeak: 'pt-br', minimax: 'Portuguese' },
  nl: { name: 'Nederlands', espeak: 'nl', minimax: 'Dutch' },
  sv: { name: 'Svenska', espeak: 'sv', minimax: 'Swedish' },
  da: { name: 'Dansk', espeak: 'da', minimax: 'Danish' },
  nb: { name: 'Norsk', espeak: 'nb', minimax: 'Norwegian' },
  fi: { name: 'Suomi', espeak: 'fi', minimax: 'Finnish' },
  pl: { name: 'Polski', espeak: 'pl', minimax: 'Polish' },
  cs: { name: 'Čeština', espeak: 'cs', minimax: 'Czech' },
  ro: { name: 'Română', espeak: 'ro', minimax: 'Romanian' },
  tr: { name: 'Türkçe', espeak: 'tr', minimax: 'Turkish' },
  el: { name: 'Ελληνικά', espeak: 'el', minimax: 'Greek' },
  ru: { name: 'Русский', espeak: 'ru', minimax: 'Russian' },
  uk: { name: 'Українська', espeak: 'uk', minimax: 'Ukrainian' },
  ar: { name: 'العربية', espeak: 'ar', minimax: 'Arabic' },
  hi: { name: 'हिन्दी', espeak: 'hi', minimax: 'Hindi' },
  zh: { name: '中文', espeak: 'cmn', minimax: 'Chinese' },
  ja: { name: '日本語', espeak: 'ja', minimax: 'Japanese' },
  ko: { name: '한국어', espeak: 'ko', minimax: 'Korean' },
} as const;

export type VoiceLanguage = keyof typeof VOICE_LANGUAGES;
export const LANGUAGE_CODES = Object.keys(VOICE_LANGUAGES) as VoiceLanguage[];

export function isVoiceLanguage(value: unknown): value is VoiceLanguage {
  return typeof value === 'string' && Object.hasOwn(VOICE_LANGUAGES, value);
}

export type VoiceEngine = 'festival' | 'flite' | 'espeak-ng' | 'minimax';

export interface Voice {
  id: string;
  /** What the compose form shows. */
  label: string;
  engine: VoiceEngine;
  /** The one language an offline voice speaks; null for voices that speak every language. */
  language: VoiceLanguage | null;
  /** The engine's own name for the voice. */
  engineVoice: string;
  /** Which provider's sessions may use it; offline voices serve every session. */
  provider: ProviderName;
}

const offline = (
  id: string,
  label: string,
  engine: VoiceEngine,
  language: VoiceLanguage,
  engineVoice: string,
): Voice => ({ id, label, engine, language, engineVoice, provider: 'local' });

/** MiniMax system voices (replicate.com/minimax/speech-2.6-turbo, voice_id). */
const MINIMAX_VOICES: Array<[string, string]> = [
  ['Wise_Woman', 'Wise woman'],
  ['Friendly_Person', 'Friendly person'],
  ['Calm_Woman', 'Calm woman'],
  ['Casual_Guy', 'Casual guy'],
  ['Deep_Voice_Man', 'Deep-voiced man'],
  ['Lively_Girl', 'Lively girl'],
];

export const VOICES: readonly Voice[] = [
  offline('local-en-slt', 'Sarah, US English (Festival HTS)', 'festival', 'en', 'slt'),
  offline('local-en-rms', 'Rob, US English (Flite)', 'flite', 'en', 'rms'),
  offline('local-en-awb', 'Alan, Scottish English (Flite)', 'flite', 'en', 'awb'),
  ...LANGUAGE_CODES.filter((code) => code !== 'en').map((code) =>
    offline(
      `local-${code}`,
      `${VOICE_LANGUAGES[code].name} (eSpeak NG)`,
      'espeak-ng',
      code,
      VOICE_LANGUAGES[code].espeak,
    ),
  ),
  ...MINIMAX_VOICES.map(([engineVoice, label]): Voice => ({
    id: `replicate-${engineVoice.toLowerCase().replace(/_/g, '-')}`,
    label: `${label}, any language (MiniMax on Replicate)`,
    engine: 'minimax',
    language: null,
    engineVoice,
    provider: 'replicate',
  })),
];

export const VOICE_IDS = VOICES.map((v) => v.id) as [string, ...string[]];

export function voiceById(id: string): Voice | undefined {
  return VOICES.find((voice) => voice.id === id);
}

/** Voices a session on this provider may use: its own and every offline voice. */
export function voicesFor(provider: ProviderName): Voice[] {
  return VOICES.filter((voice) => voice.provider === 'local' || voice.provider === provider);
}

/** Whether the voice can read a script in this language. */
export function speaks(voice: Voice, language: VoiceLanguage): boolean {
  return voice.language === null || voice.language === language;
}

/** The voice a script in `language` gets when the person picked none: the provider's best. */
export function defaultVoice(language: VoiceLanguage, provider: ProviderName): Voice {
  const candidates = voicesFor(provider).filter((voice) => speaks(voice, language));
  // A paid provider's own voice first (that is why the session pays for it), then offline ones.
  const preferred =
    candidates.find((voice) => voice.provider === provider && provider !== 'local') ??
    candidates[0];
  return preferred ?? VOICES[0]!;
}

// ---- language of a script --------------------------------------------------------------------

/** Characters of scripts that name their language outright. */
const SCRIPT_RANGES: Array<[VoiceLanguage, RegExp]> = [
  ['ja', /[\u3040-\u30ff]/u],
  ['ko', /[\uac00-\ud7af\u1100-\u11ff]/u],
  ['zh', /[\u4e00-\u9fff\u3400-\u4dbf]/u],
  ['ar', /[\u0600-\u06ff]/u],
  ['hi', /[\u0900-\u097f]/u],
  ['el', /[\u0370-\u03ff]/u],
  ['uk', /[іїєґІЇЄҐ]/u],
  ['ru', /[\u0400-\u04ff]/u],
];

/** Frequent short words of each Latin-script language; the best-scoring language wins. */
const STOPWORDS: Partial<Record<VoiceLanguage, string[]>> = {
  en: 'the and you your for with is are it this that to of in on now new get our all'.split(' '),
  de: 'der die das und ist nicht mit für ein eine dein deine jetzt neu sie du auf zu den'.split(
    ' ',
  ),
  es: 'el la los las y es con para un una tu tus ahora nuevo nueva que del por más'.split(' '),
  fr: 'le la les et est avec pour un une ton ta tes vos votre maintenant nouveau nouvelle du des plus'.split(
    ' ',
  ),
  it: 'il lo la gli le e è con per un una il tuo tua ora nuovo nuova che del più'.split(' '),
  pt: 'o a os as e é com para um uma seu sua agora novo nova que do da mais você'.split(' '),
  nl: 'de het en is met voor een jouw je nu nieuw nieuwe van op niet'.split(' '),
  sv: 'och är med för en ett din ditt nu ny nya som på av till inte'.split(' '),
  da: 'og er med til en et din dit nu ny nye som på af ikke'.split(' '),
  nb: 'og er med for en et din ditt nå ny nye som på av til ikke'.split(' '),
  fi: 'ja on kanssa sinun nyt uusi uuden se että myös'.split(' '),
  pl: 'i jest z dla w na nowy nowa teraz twój twoja to się że'.split(' '),
  cs: 'a je s pro v na nový nová teď tvůj tvoje to se že'.split(' '),
  ro: 'și este cu pentru un o acum nou nouă tău ta care din'.split(' '),
  tr: 've bir ile için şimdi yeni senin bu da çok'.split(' '),
};

/** Letters only some Latin-script languages use; each counts like a few stopwords. */
const LETTERS: Partial<Record<VoiceLanguage, RegExp>> = {
  de: /[äöüß]/giu,
  es: /[ñ¿¡]/giu,
  fr: /[àâæçèêëîïôœùûÿ]/giu,
  pt: /[ãõç]/giu,
  sv: /[åäö]/giu,
  da: /[æøå]/giu,
  nb: /[æøå]/giu,
  fi: /[äö]/giu,
  pl: /[ąćęłńśźż]/giu,
  cs: /[čďěňřšťůž]/giu,
  ro: /[ăâîșşțţ]/giu,
  tr: /[ğışç]/giu,
  it: /[àèéìòù]/giu,
};

/**
 * The language a script is written in: by its characters for scripts that name their language
 * (CJK, Arabic, Cyrillic...), else by its most frequent short words and accented letters. A
 * script with no clue reads as English.
 */
export function detectLanguage(script: string): VoiceLanguage {
  for (const [language, range] of SCRIPT_RANGES) if (range.test(script)) return language;
  const words = script.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  let best: VoiceLanguage = 'en';
  let bestScore = 0;
  for (const [language, list] of Object.entries(STOPWORDS) as Array<[VoiceLanguage, string[]]>) {
    const set = new Set(list);
    let score = words.filter((word) => set.has(word)).length;
    const letters = LETTERS[language];
    if (letters) score += 1.5 * (script.match(letters)?.length ?? 0);
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}
