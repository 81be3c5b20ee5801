import { z } from 'zod';
import { PHRASE_GAP_SECONDS, VOICE_LEAD_IN_SECONDS, VOICE_TAIL_SECONDS } from './voice-script';

/**
 * Where each spoken phrase goes in the ad, from the phrases' measured lengths: the first (the
 * hook) right after the lead-in, the last (the call to action) ending just before the ad does,
 * the others spread between them. Pure, so the timing the captions show is the timing the voice
 * track is built with, and tests can check it without synthesising anything.
 */

/** One caption: a phrase and when it is on screen (seconds from the start of the ad). */
export const CueSchema = z.object({
  text: z.string(),
  startSeconds: z.number(),
  endSeconds: z.number(),
});
export type Cue = z.infer<typeof CueSchema>;

export interface PlacedPhrase {
  text: string;
  /** When the phrase starts being spoken, and how long it is spoken (after any speed-up). */
  startSeconds: number;
  spokenSeconds: number;
}

export interface VoicePlacement {
  /** Speed-up applied to every phrase (1 = as synthesised) so the script fits the ad. */
  tempo: number;
  phrases: PlacedPhrase[];
  /** Captions: each phrase from its first word until shortly after its last. */
  cues: Cue[];
}

/** Gaps may shrink to this before the voice is sped up. */
const MIN_GAP_SECONDS = 0.12;
/** Middle phrases are never further apart than this; extra room goes before the last phrase. */
const MAX_GAP_SECONDS = 1.2;
/** Beyond this speed-up a voice sounds rushed: the script is too long for the ad. */
export const MAX_TEMPO = 1.35;
/** A caption stays up this long after its phrase, so the last words can be read. */
const CAPTION_HOLD_SECONDS = 0.5;
/** And leaves this long before the next one comes up. */
const CAPTION_CHANGE_SECONDS = 0.04;

export class ScriptTooLongError extends RangeError {
  constructor(
    readonly spokenSeconds: number,
    readonly availableSeconds: number,
  ) {
    super(
      `The voiceover takes ${spokenSeconds.toFixed(1)} s to say, more than the ` +
        `${availableSeconds.toFixed(1)} s the ad has for it. Shorten the script.`,
    );
    this.name = 'ScriptTooLongError';
  }
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

export function placePhrases(
  phrases: ReadonlyArray<{ text: string; seconds: number }>,
  totalSeconds: number,
  /** False for a sample (a preview): every phrase follows the one before. */
  closeAtEnd = true,
): VoicePlacement {
  if (phrases.length === 0) return { tempo: 1, phrases: [], cues: [] };
  const windowStart = VOICE_LEAD_IN_SECONDS;
  const windowEnd = totalSeconds - VOICE_TAIL_SECONDS;
  const available = windowEnd - windowStart;
  const gaps = phrases.length - 1;
  const speech = phrases.reduce((sum, p) => sum + p.seconds, 0);
  const room = available - gaps * MIN_GAP_SECONDS;
  if (room <= 0) throw new ScriptTooLongError(speech, Math.max(0, available));
  const tempo = Math.max(1, speech / room);
  if (tempo > MAX_TEMPO) {
    throw new ScriptTooLongError(speech + gaps * PHRASE_GAP_SECONDS, available * MAX_TEMPO);
  }
  const spoken = phrases.map((p) => p.seconds / tempo);
  const slack = room - spoken.reduce((sum, s) => sum + s, 0);
  const spread = closeAtEnd ? MIN_GAP_SECONDS + slack / Math.max(1, gaps) : PHRASE_GAP_SECONDS;
  const gap = gaps > 0 ? Math.min(spread, MAX_GAP_SECONDS) : 0;

  const placed: PlacedPhrase[] = [];
  let at = windowStart;
  phrases.forEach((phrase, index) => {
    const isLast = closeAtEnd && index === phrases.length - 1 && index > 0;
    // The call to action closes the ad: it ends where the voice's window does.
    const start = isLast ? Math.max(at, windowEnd - spoken[index]!) : at;
    placed.push({
      text: phrase.text,
      startSeconds: round(start),
      spokenSeconds: round(spoken[index]!),
    });
    at = start + spoken[index]! + gap;
  });

  const cues = placed.map((phrase, index) => {
    const next = placed[index + 1];
    const spokenEnd = phrase.startSeconds + phrase.spokenSeconds;
    const limit = next ? next.startSeconds - CAPTION_CHANGE_SECONDS : totalSeconds;
    return {
      text: phrase.text,
      startSeconds: phrase.startSeconds,
      endSeconds: round(Math.max(spokenEnd, Math.min(spokenEnd + CAPTION_HOLD_SECONDS, limit))),
    };
  });
  return { tempo: round(tempo), phrases: placed, cues };
}
