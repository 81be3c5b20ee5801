/**
 * Preparing user text for drawtext. The text reaches FFmpeg only as the content of a file, and
 * drawtext reads it with `expansion=none`, so no character is special; what remains is making it
 * render well: one kind of line break, no control characters, and a size that fits the frame.
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

/** Average advance of DejaVu Sans Bold glyphs relative to the font size, measured on mixed text. */
const GLYPH_WIDTH_EM = 0.66;
/** Line pitch drawtext uses for DejaVu (ascent + descent) relative to the font size. */
const LINE_HEIGHT_EM = 1.17;

/** Largest font size up to `preferred` at which the text fits the given box. */
export function fitFontSize(
  text: string,
  box: { preferred: number; maxWidth: number; maxHeight: number; min: number },
): number {
  const lines = text.split('\n');
  const longest = Math.max(...lines.map((line) => Array.from(line).length), 1);
  const byWidth = box.maxWidth / (longest * GLYPH_WIDTH_EM);
  const byHeight = box.maxHeight / (lines.length * LINE_HEIGHT_EM);
  return Math.max(box.min, Math.floor(Math.min(box.preferred, byWidth, byHeight)));
}

/** Height of a block of text at the given size, for placing things around it. */
export function textBlockHeight(text: string, fontSize: number): number {
  return Math.ceil(text.split('\n').length * fontSize * LINE_HEIGHT_EM);
}
