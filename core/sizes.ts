import type { AspectRatio } from '../core/options';

/**
 * Pixel size of images and clips for each aspect ratio (1080 on the short side). Images, clips and
 * the render all use the session's size, so nothing is cropped from another shape.
 */
export function frameSize(aspectRatio: AspectRatio): { width: number; height: number } {
  switch (aspectRatio) {
    case '1:1':
      return { width: 1080, height: 1080 };
    case '9:16':
      return { width: 1080, height: 1920 };
    case '16:9':
      return { width: 1920, height: 1080 };
  }
}
