/**
 * Preparing user text for the ad. The text never reaches FFmpeg: it is drawn into PNG layers
 * (text-layers.ts) that the graph overlays. What remains here is making it render well: one kind
 * of line break, no control characters, and lines and a size that fit its box.
 */

/** Normalises line breaks, drops control characters, trims; throws when nothing is left. */
export function prepareText(text: string, label: string): string {
  const cleaned = text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  if (cleaned.length === 0) throw new Error(`${label} is empty`);
  return cleaned;
}

/**
 * Estimated advance of a character relative to the font size, for wrapping before the text is
 * drawn. Generous on purpose (DejaVu Sans Bold averages ~0.66 em on mixed Latin text; CJK and emoji
 * are about a full em): the drawn block is measured afterwards, and one that still overflows its box
 * is scaled down to fit, so an estimate that errs wide only costs a little size.
 */
function advanceEm(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x20) return 0.35;
  if (/\p{Extended_Pictographic}/u.test(char)) return 1.25;
  if (
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 1.0;
  }
  return 0.66;
}

/** Line pitch relative to the font size (DejaVu and Noto both sit near 1.17). */
export const LINE_HEIGHT_EM = 1.25;

export function textWidthEm(text: string): number {
  return Array.from(text).reduce((sum, char) => sum + advanceEm(char), 0);
}

/** Script without spaces between words: any character may start a new line. */
const BREAK_ANYWHERE = /[\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uff60]/u;

/** Greedy wrap of one paragraph into lines no wider than `maxEm`; words too long are split. */
function wrapParagraph(paragraph: string, maxEm: number): string[] {
  const tokens =
    paragraph.match(
      /[\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uff60]|[^\s\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uff60]+|\s+/gu,
    ) ?? [];
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line.trim()) lines.push(line.trim());
    line = '';
  };
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (textWidthEm(line + token) <= maxEm) {
      line += token;
      continue;
    }
    if (line.trim() && !BREAK_ANYWHERE.test(token) && textWidthEm(token) <= maxEm) {
      push();
      line = token;
      continue;
    }
    if (!BREAK_ANYWHERE.test(token)) push();
    for (const char of Array.from(token)) {
      if (textWidthEm(line + char) > maxEm && line.trim()) push();
      line += char;
    }
  }
  push();
  return lines;
}

export function wrapText(text: string, maxEm: number): string[] {
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, maxEm));
}

export interface FittedText {
  fontSize: number;
  lines: string[];
}

/**
 * The largest size up to `preferred` at which the text fits the box in at most `maxLines` lines:
 * at each size it first wraps (so a long line becomes two before it shrinks), and only then is a
 * smaller size tried. Never below `min`; at the floor it keeps the wrapped lines, whatever their
 * number, and the drawn block is scaled to the box as a last resort.
 */
export function fitText(
  text: string,
  box: { width: number; height: number },
  sizes: { preferred: number; min: number; maxLines: number; padEm?: number },
): FittedText {
  const pad = sizes.padEm ?? 0;
  const preferred = Math.max(sizes.min, Math.floor(sizes.preferred));
  for (let size = preferred; size >= sizes.min; size--) {
    const lines = wrapText(text, box.width / size - 2 * pad);
    const fitsHeight = (lines.length * LINE_HEIGHT_EM + 2 * pad) * size <= box.height;
    if (lines.length <= sizes.maxLines && fitsHeight) return { fontSize: size, lines };
  }
  return { fontSize: sizes.min, lines: wrapText(text, box.width / sizes.min - 2 * pad) };
}
