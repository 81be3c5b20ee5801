import { z } from '@hono/zod-openapi';
import type { SessionState } from '../../core/session';

/** The workflow's state plus short-lived URLs for each stored asset. */
export type SessionView = SessionState & {
  urls: Record<string, string>;
  downloadUrl?: string;
  /** Download links of the ad in other formats, by format. */
  exportDownloadUrls?: Record<string, string>;
  /** The finished ad's poster frame. */
  posterUrl?: string;
  /** The finished ad's captions as sidecar files (SubRip and WebVTT), when it has a voiceover. */
  captionUrls?: { srt: string; vtt: string };
  /** The uploaded product photo, on which the person marks what to keep and drop. */
  productPhotoUrl?: string | undefined;
  /** When these links stop working (epoch seconds): the page fetches fresh ones before then. */
  linksExpireAt: number;
};

export const SessionViewSchema = z.custom<SessionView>().openapi('Session', {
  type: 'object',
  description:
    'The session state: stage, progress, images, clips, music, final video, selections, costs, budget and last error, with signed URLs per asset id.',
});
