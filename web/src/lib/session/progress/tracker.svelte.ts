import { SvelteMap } from 'svelte/reactivity';
import type { RenderStep } from '#core/rooms.ts';
import { estimateSecondsLeft } from './eta';
import { nextTrack, type Track } from './track';

/** A named part of a job, e.g. a render's "saving" (see core/rooms). */
export type JobStep = RenderStep;

/**
 * What the workers reported of each job (`session:progress` events): the share shown (only ever
 * forward within an attempt), the step it is in, and the time it has left. `now` moves once a
 * second so estimates count down.
 */
export class ProgressTracker {
  #tracks = new SvelteMap<string, Track>();
  now = $state(Date.now());

  observe(assetId: string, fraction: number, at = Date.now(), step?: JobStep) {
    this.#tracks.set(assetId, nextTrack(this.#tracks.get(assetId), fraction, at, step));
  }

  tick(at = Date.now()) {
    this.now = at;
  }

  /** The share to show, 0..1 (never less than shown before in this attempt). */
  fraction(assetId: string): number | undefined {
    return this.#tracks.get(assetId)?.shown;
  }

  attempt(assetId: string): number {
    return this.#tracks.get(assetId)?.attempt ?? 1;
  }

  step(assetId: string): JobStep | undefined {
    return this.#tracks.get(assetId)?.step;
  }

  /** Seconds left, from `expectedMs` (what such jobs took before) and the observed rate. */
  secondsLeft(assetId: string, expectedMs?: number): number | undefined {
    const track = this.#tracks.get(assetId);
    return track ? estimateSecondsLeft(track, expectedMs, this.now) : undefined;
  }

  /**
   * The job most recently started that is none of `known` (a render or music not yet in the
   * session's state: its asset id is new until it is done). A finished one still counts, so
   * its bar stays full until the state says it is done, instead of falling back to nothing.
   */
  latestOther(known: ReadonlySet<string>, rendering: boolean): string | undefined {
    let best: { id: string; at: number } | undefined;
    for (const [id, track] of this.#tracks) {
      // Only a render names its steps: music reports none.
      if (known.has(id) || (track.step !== undefined) !== rendering) continue;
      if (!best || track.startedAt > best.at) best = { id, at: track.startedAt };
    }
    return best?.id;
  }
}
