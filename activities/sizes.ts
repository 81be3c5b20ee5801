import type { AspectRatio } from '../core/options';

/** Pixel size of generated product images for each aspect ratio (1080 on the short side). */
export function imageSize(aspectRatio: AspectRatio): { width: number; height: number } {
  switch (aspectRatio) {
    case '1:1':
      return { width: 1080, height: 1080 };
    case '9:16':
      return { width: 1080, height: 1920 };
    case '16:9':
      return { width: 1920, height: 1080 };
  }
}
