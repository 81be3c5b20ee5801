import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toSrt, toVtt } from '../core/caption-files';
import { SESSION_EVENTS, renderFraction, type ProgressEvent, type RenderStep } from '../core/rooms';
import type { AssetView } from '../core/session';
import { assetKey } from '../storage';
import { providerCallContext } from './context';
import type { ActivityDeps } from './deps';
import type { RenderInput } from './inputs';
import { beatsOfTrack } from './media/beats';
import { grabPoster } from './render/poster';
import { storagePartCache } from './render/part-cache';
import { renderAd } from './render/render';
import { frameSize } from '../core/sizes';
import { withWorkspace } from './workspace';

export const RENDER_MODEL = 'ffmpeg/parts-v1';

/**
 * The final render, on its own task queue. Inputs are copied from storage to a scratch folder,
 * FFmpeg encodes the parts of the video the session's earlier renders did not already leave in
 * storage (heartbeating its progress; cancelling the activity kills it), the parts are joined
 * with the sound, and the MP4 is stored. The scratch folder goes away however the render ends.
 */
export function createRenderActivities(deps: ActivityDeps) {
  return {
    async renderVideo(input: RenderInput): Promise<AssetView> {
      /** Each step is named to the page, so the end of a render (storing it) is no restart. */
      const report = (step: RenderStep, encodedShare?: number) => {
        const event: ProgressEvent = {
          assetId: input.assetId,
          fraction: renderFraction(step, encodedShare),
          step,
        };
        deps.publish(input.sessionId, SESSION_EVENTS.progress, event);
      };
      const ctx = providerCallContext((fraction) => report('encoding', fraction));
      report('preparing');
      return withWorkspace(deps.workDir, 'render', async (dir) => {
        const started = Date.now();
        const clips = await Promise.all(
          input.clips.map(async (clip, index) => {
            if (!clip.storageKey) throw new Error(`Clip ${clip.id} has no stored file`);
            const path = join(dir, `clip-${index}.mp4`);
            await deps.storage.getToFile(clip.storageKey, path);
            return {
              path,
              durationSeconds: clip.durationSeconds,
              width: clip.width,
              height: clip.height,
              productBox: clip.productBox,
            };
          }),
        );
        let musicPath: string | null = null;
        if (input.music?.storageKey) {
          musicPath = join(dir, 'music.m4a');
          await deps.storage.getToFile(input.music.storageKey, musicPath);
        }
        // The voiceover is as long as the ad; its cues time the captions.
        let voice: { path: string; cues: NonNullable<AssetView['cues']> } | null = null;
        if (input.voice?.storageKey && input.voice.cues?.length) {
          const path = join(dir, 'voice.flac');
          await deps.storage.getToFile(input.voice.storageKey, path);
          voice = { path, cues: input.voice.cues };
        }
        const beatGrid =
          musicPath && input.beatSnapSeconds
            ? {
                beats: await beatsOfTrack(input.music, musicPath, dir, ctx.signal),
                toleranceSeconds: input.beatSnapSeconds,
              }
            : undefined;
        const { composition } = input;
        const outputPath = join(dir, `${input.assetId}.mp4`);
        /** The poster is a nicety: an ad without one is still the ad, so a failure only logs. */
        const storePoster = async (video: string, seconds: number, signal?: AbortSignal) => {
          const poster = join(dir, `${input.assetId}.jpg`);
          const posterKey = assetKey(input.sessionId, 'final', input.assetId, 'jpg');
          try {
            await grabPoster(video, seconds, poster, signal);
            await deps.storage.putFile(posterKey, poster, 'image/jpeg');
            return posterKey;
          } catch (error) {
            if (signal?.aborted) throw error;
            deps.log.warn('could not make the poster frame', { error });
            return undefined;
          }
        };
        /** The captions as sidecar files, stored beside the MP4 and offered with its download. */
        const storeCaptions = async (cues: NonNullable<AssetView['cues']>) => {
          const keys = {
            srt: assetKey(input.sessionId, 'final', input.assetId, 'srt'),
            vtt: assetKey(input.sessionId, 'final', input.assetId, 'vtt'),
          };
          const srt = join(dir, 'captions.srt');
          const vtt = join(dir, 'captions.vtt');
          await Promise.all([writeFile(srt, toSrt(cues)), writeFile(vtt, toVtt(cues))]);
          await deps.storage.putFile(keys.srt, srt, 'application/x-subrip');
          await deps.storage.putFile(keys.vtt, vtt, 'text/vtt');
          return keys;
        };
        const { width, height } = frameSize(input.targetAspect ?? input.aspectRatio ?? '16:9');
        const rendered = await renderAd(
          {
            width,
            height,
            clips,
            productName: composition.productName,
            callToAction: composition.callToAction,
            tagline: composition.tagline,
            colors: composition.colors,
            musicPath,
            voice,
            outputPath,
            durationSeconds: input.durationSeconds,
            beatGrid,
          },
          {
            signal: ctx.signal,
            onProgress: (p) => ctx.onProgress?.(p.fraction),
            tempRoot: dir,
            parts: storagePartCache(deps.storage, input.sessionId, deps.log),
          },
        );
        const reused = rendered.parts.filter((part) => part.reused);
        const frames = (parts: typeof reused) =>
          parts.reduce((sum, part) => sum + part.endFrame - part.firstFrame, 0);
        deps.log.info('rendered the ad in parts', {
          sessionId: input.sessionId,
          assetId: input.assetId,
          parts: rendered.parts.length,
          reusedParts: reused.length,
          reusedFrames: frames(reused),
          encodedFrames: frames(rendered.parts) - frames(reused),
        });
        const crowded = rendered.captions.filter((c) => c.overlaps.length > 0);
        if (crowded.length > 0) {
          deps.log.warn('captions found no clear place', {
            sessionId: input.sessionId,
            overlaps: crowded.map((c) => c.overlaps),
          });
        }
        const key = assetKey(input.sessionId, 'final', input.assetId, 'mp4');
        report('saving');
        const stored = await deps.storage.putFile(key, rendered.path, 'video/mp4');
        report('poster');
        const posterKey = await storePoster(rendered.path, rendered.durationSeconds, ctx.signal);
        const captionKeys = voice ? await storeCaptions(voice.cues) : undefined;
        return {
          id: input.assetId,
          type: 'final',
          status: 'ready',
          storageKey: key,
          posterKey,
          captionKeys,
          loudness: rendered.audio ?? undefined,
          mime: 'video/mp4',
          bytes: stored.bytes,
          sha256: stored.sha256,
          width: rendered.width,
          height: rendered.height,
          durationSeconds: rendered.durationSeconds,
          provider: 'ffmpeg',
          model: RENDER_MODEL,
          costUsd: 0,
          generationMs: Date.now() - started,
        };
      });
    },
  };
}
