import sharp from 'sharp';
import { businessFailure } from '../core/errors';
import type { PreviewStills, PreviewStillsInput } from '../core/preview';
import type { Storage } from '../storage';
import type { ActivityDeps } from './deps';
import { renderPreviewStills } from './render/preview';
import { adTexts } from './render/render';
import { frameSize } from './sizes';

/**
 * Stills of the ad's text before the render (the intro card, the lower third over one of the
 * session's images, the outro), made with the render's own layout code on the render queue: the
 * drawing is CPU work that once ran inside the API and slowed every other user's requests.
 * Nothing is stored or paid for.
 */
export function createPreviewActivities(deps: ActivityDeps) {
  return {
    async renderPreview(input: PreviewStillsInput): Promise<PreviewStills> {
      let texts;
      try {
        texts = adTexts(input);
      } catch {
        throw businessFailure(
          'VALIDATION_FAILED',
          'Write some text for the name and call to action.',
        );
      }
      const backdrop = input.backdropKey
        ? await readImage(deps.storage, input.backdropKey)
        : undefined;
      const stills = await renderPreviewStills({
        ...frameSize(input.aspectRatio),
        texts,
        colors: input.colors,
        backdrop,
      });
      return {
        width: stills.width,
        height: stills.height,
        introTitle: dataUrl(stills.introTitle),
        lowerThird: dataUrl(stills.lowerThird),
        outro: dataUrl(stills.outro),
      };
    },
  };
}

/** The stored image, if it is there and decodes; the stills fall back to a flat card. */
async function readImage(storage: Storage, key: string): Promise<Buffer | undefined> {
  const object = await storage.open(key);
  if (!object) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const bytes = Buffer.concat(chunks);
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => null);
  return meta?.width ? bytes : undefined;
}

const dataUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString('base64')}`;
