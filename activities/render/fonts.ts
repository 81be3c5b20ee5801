import type { RenderFonts } from './args';

/** Debian's DejaVu package, unless the deployment points elsewhere. */
export function defaultFonts(env: NodeJS.ProcessEnv = process.env): RenderFonts {
  return {
    regular: env.FONT_PATH || '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    bold: env.FONT_BOLD_PATH || '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  };
}
