import { SvelteMap } from 'svelte/reactivity';
import { secondsLeft, type Observation } from './eta';

interface Track {
  first: Observation;
  latest: Observation;
}

/**
 * What the workers reported of each job (`session:progress` events): its fraction and, from the
 * rate observed so far, the time it has left. `now` moves once a second so estimates count down.
 */
export class ProgressTracker {
  #tracks = new SvelteMap<string, Track>();
  now = $state(Date.now());

  observe(assetId: string, fraction: number, at = Date.now()) {
    const value = Math.min(1, Math.max(0, fraction));
    const known = this.#tracks.get(assetId);
    // A job that starts again (a retry) starts a new estimate.
    const first = known && value >= known.latest.fraction ? known.first : { at, fraction: value };
    this.#tracks.set(assetId, { first, latest: { at, fraction: value } });
  }

  tick(at = Date.now()) {
    this.now = at;
  }

  fraction(assetId: string): number | undefined {
    return this.#tracks.get(assetId)?.latest.fraction;
  }

  secondsLeft(assetId: string): number | undefined {
    const track = this.#tracks.get(assetId);
    return track ? secondsLeft(track.first, track.latest, this.now) : undefined;
  }

  /** The job most recently heard of that is none of `known` (a render or music not yet in the
   * session's state: its asset id is new until it is done). */
  latestOther(known: ReadonlySet<string>): string | undefined {
    let best: { id: string; at: number } | undefined;
    for (const [id, track] of this.#tracks) {
      if (known.has(id) || track.latest.fraction >= 1) continue;
      if (!best || track.latest.at > best.at) best = { id, at: track.latest.at };
    }
    return best?.id;
  }
}
