/** Font families (fontconfig names); fontconfig falls back per glyph to other installed fonts. */
export interface RenderFonts {
  regular: string;
  bold: string;
}

/**
 * DejaVu Sans for Latin, Greek and Cyrillic, unless the deployment names another family. Glyphs
 * it lacks (CJK, Arabic, emoji) come from fontconfig's fallback: the bootstrap installs Noto
 * (fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji) so every script has a font.
 */
export function defaultFonts(env: NodeJS.ProcessEnv = process.env): RenderFonts {
  const family = env.FONT_FAMILY || 'DejaVu Sans';
  return { regular: family, bold: `${family} Bold` };
}
