import type { Cue } from './voice-timing';

/**
 * The captions as sidecar files for players and platforms that take them (SubRip `.srt` and
 * WebVTT `.vtt`), timed exactly as the burned-in captions. Pure.
 */

function clock(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** One line of cue text: no blank lines (they end a cue) and no markup characters. */
function cueText(text: string, format: 'srt' | 'vtt'): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  // WebVTT reads `<` and `&` as markup and `-->` as timing.
  return format === 'vtt'
    ? flat.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    : flat.replace(/-->/g, '→');
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map(
      (cue, index) =>
        `${index + 1}\n${clock(cue.startSeconds, ',')} --> ${clock(cue.endSeconds, ',')}\n` +
        `${cueText(cue.text, 'srt')}\n`,
    )
    .join('\n');
}

export function toVtt(cues: readonly Cue[]): string {
  const body = cues
    .map(
      (cue) =>
        `${clock(cue.startSeconds, '.')} --> ${clock(cue.endSeconds, '.')}\n` +
        `${cueText(cue.text, 'vtt')}\n`,
    )
    .join('\n');
  return `WEBVTT\n\n${body}`;
}
