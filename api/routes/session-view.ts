import type { SessionState } from '../../core/session';
import { slug } from '../../core/text';
import { isStorageKey, type Storage } from '../../storage';
import { signingWindow } from '../../storage/signing';
import type { SessionView } from './session-schema';

/**
 * The session as the API serves it: its state plus signed links for every stored asset, the
 * final video's download link (and those of its other formats) and its poster frame. Links are
 * stable within their lifetime, so browsers cache the media.
 */
export function sessionView(storage: Storage, ttl: number) {
  return async function view(state: SessionState): Promise<SessionView> {
    const assets = [
      ...state.images,
      ...state.clips,
      state.music,
      state.voice,
      state.final,
      state.productCutout,
      ...(state.exports ?? []),
    ].filter(
      (a): a is NonNullable<typeof a> =>
        a?.status === 'ready' && Boolean(a.storageKey) && isStorageKey(a.storageKey!),
    );
    const urls = Object.fromEntries(
      await Promise.all(
        assets.map(
          async (a) =>
            [a.id, await storage.signedUrl(a.storageKey!, { expiresInSeconds: ttl })] as const,
        ),
      ),
    );
    const downloadUrl =
      state.final?.storageKey && isStorageKey(state.final.storageKey)
        ? await storage.signedUrl(state.final.storageKey, {
            expiresInSeconds: ttl,
            downloadName: `${slug(state.title)}.mp4`,
          })
        : undefined;
    const exportDownloadUrls = Object.fromEntries(
      await Promise.all(
        (state.exports ?? [])
          .filter((e) => e.status === 'ready' && e.aspectRatio && isStorageKey(e.storageKey ?? ''))
          .map(
            async (e) =>
              [
                e.aspectRatio!,
                await storage.signedUrl(e.storageKey!, {
                  expiresInSeconds: ttl,
                  downloadName: `${slug(state.title)}-${e.aspectRatio!.replace(':', 'x')}.mp4`,
                }),
              ] as const,
          ),
      ),
    );
    const posterKey = state.final?.status === 'ready' ? state.final.posterKey : undefined;
    const posterUrl =
      posterKey && isStorageKey(posterKey)
        ? await storage.signedUrl(posterKey, { expiresInSeconds: ttl })
        : undefined;
    const captionKeys = state.final?.status === 'ready' ? state.final.captionKeys : undefined;
    const captionUrls =
      captionKeys && isStorageKey(captionKeys.srt) && isStorageKey(captionKeys.vtt)
        ? {
            srt: await storage.signedUrl(captionKeys.srt, {
              expiresInSeconds: ttl,
              downloadName: `${slug(state.title)}.srt`,
            }),
            vtt: await storage.signedUrl(captionKeys.vtt, {
              expiresInSeconds: ttl,
              downloadName: `${slug(state.title)}.vtt`,
            }),
          }
        : undefined;
    // The photo the cutout came from: the person marks what to keep and drop on it.
    const productPhotoUrl =
      state.productPhotoKey && isStorageKey(state.productPhotoKey)
        ? await storage.signedUrl(state.productPhotoKey, { expiresInSeconds: ttl })
        : undefined;
    // Every link is signed in the same window (storage/signing.ts), so they expire together.
    const linksExpireAt = signingWindow(ttl).expiresAt;
    return {
      ...state,
      urls,
      downloadUrl,
      exportDownloadUrls,
      posterUrl,
      captionUrls,
      productPhotoUrl,
      linksExpireAt,
    };
  };
}
