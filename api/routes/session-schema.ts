import { z } from '@hono/zod-openapi';
import { SessionStateSchema } from '../../core/session';

/**
 * The session as the API serves it: the workflow's state (core/session.ts, the one description)
 * plus short-lived URLs for each stored asset. Named `Session` in the OpenAPI document, so the
 * document and the typed client show every field.
 */
export const SessionViewSchema = z
  .object({
    ...SessionStateSchema.shape,
    /** Signed URL of each ready asset, by asset id. */
    urls: z.record(z.string(), z.string()),
    /** The finished ad's download link (named after the session's title). */
    downloadUrl: z.string().optional(),
    /** Download links of the ad in other formats, by format. */
    exportDownloadUrls: z.record(z.string(), z.string()).optional(),
    /** The finished ad's poster frame. */
    posterUrl: z.string().optional(),
    /** The finished ad's captions as sidecar files (SubRip and WebVTT), when it has a voiceover. */
    captionUrls: z.object({ srt: z.string(), vtt: z.string() }).optional(),
    /** The uploaded product photo, on which the person marks what to keep and drop. */
    productPhotoUrl: z.string().optional(),
    /** When these links stop working (epoch seconds): the page fetches fresh ones before then. */
    linksExpireAt: z.number(),
  })
  .openapi('Session', {
    description:
      'The session state: stage, progress, images, clips, music, final video, selections, costs, budget and last error, with signed URLs per asset id.',
  });

export type SessionView = z.infer<typeof SessionViewSchema>;
