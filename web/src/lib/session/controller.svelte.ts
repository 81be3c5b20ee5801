import { api, ApiError, messageOf, read, type SessionView } from '#lib/api.ts';
import { watchSession } from '#lib/live.ts';
import { STAGE_LABELS, isWorking } from '#lib/stages.ts';
import type { AssetView } from '#core/session.ts';
import { linksDue } from './links';
import { ProgressTracker } from './progress/tracker.svelte';

/**
 * One session page's state: the session as the API last served it, live progress, the live
 * connection, and the action running now. Step components read it and call `run`.
 */
export class SessionController {
  session = $state<SessionView | null>(null);
  loadError = $state('');
  /** The action running now ('' when none); every action button disables while one runs. */
  busy = $state('');
  actionError = $state<{ action: string; message: string } | null>(null);
  /** The live connection: undefined before it is first up, so a slow start is not a "drop". */
  connected = $state<boolean | undefined>(undefined);
  /** Said to screen readers (and shown) when a step finishes or fails. */
  announcement = $state('');
  readonly progress = new ProgressTracker();

  constructor(readonly id: string) {}

  readonly images = $derived(this.session ? visible(this.session.images) : []);
  readonly clips = $derived(this.session ? visible(this.session.clips) : []);
  // Made anew whenever the images change, never mutated: a plain Map is right here.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly imagesById = $derived(new Map(this.images.map((i) => [i.id, i])));
  /** The session's aspect ratio for CSS (`16 / 9`), and width over height (`1.777`). */
  readonly ratio = $derived(this.session?.options.aspectRatio.replace(':', ' / ') ?? '16 / 9');
  readonly shape = $derived.by(() => {
    const [w = 16, h = 9] = (this.session?.options.aspectRatio ?? '16:9').split(':').map(Number);
    return String(w / h);
  });

  async refresh() {
    try {
      const next = await read(await api.sessions[':id'].$get({ param: { id: this.id } }));
      this.adopt(next);
      this.loadError = '';
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      if (!this.session) this.loadError = messageOf(e);
    }
  }

  /** Takes a newer session, announcing a step that finished or failed. */
  adopt(next: SessionView) {
    const before = this.session;
    if (before && next.sessionId === before.sessionId && next.version < before.version) return;
    this.session = next;
    // A job seen starting counts from here, so its first report already gives a rate (the local
    // studio reports an image at 30 % and then done).
    for (const asset of [...next.images, ...next.clips])
      if (asset.status === 'generating' && this.progress.fraction(asset.id) === undefined)
        this.progress.observe(asset.id, 0);
    if (before && before.stage !== next.stage) this.announce(before.stage, next);
  }

  private announce(from: SessionView['stage'], next: SessionView) {
    if (next.stage === 'failed') {
      const failed = next.lastError ? STAGE_LABELS[next.lastError.stage] : STAGE_LABELS[from];
      this.announcement = `${failed} failed. ${next.lastError?.message ?? ''}`.trim();
    } else if (isWorking(from) && !isWorking(next.stage)) {
      this.announcement = `${STAGE_LABELS[from]}: done. ${STAGE_LABELS[next.stage]}.`;
    } else {
      this.announcement = `${STAGE_LABELS[next.stage]}.`;
    }
  }

  /** Runs one action: disables the buttons, shows the API's message if it fails. */
  async run(action: string, call: () => Promise<unknown>) {
    if (this.busy) return;
    this.busy = action;
    this.actionError = null;
    try {
      const result = await call();
      if (result && typeof result === 'object' && 'stage' in result) {
        this.adopt(result as SessionView);
      } else {
        await this.refresh();
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      this.actionError = { action, message: messageOf(e) };
      await this.refresh();
    } finally {
      this.busy = '';
    }
  }

  /** Live updates, and a poll as a safety net while the studio works (every 5 s with live
   * updates flowing, every 2 s without). Returns the function that stops both. */
  start() {
    void this.refresh();
    const stopLive = watchSession(this.id, {
      onState: () => void this.refresh(),
      onProgress: ({ assetId, fraction }) => this.progress.observe(assetId, fraction),
      onConnection: (up) => (this.connected = up),
    });
    let ticks = 0;
    const poll = setInterval(() => {
      ticks++;
      this.progress.tick();
      const working = this.session && isWorking(this.session.stage);
      if ((working && (!this.connected || ticks % 5 === 0)) || this.renewLinksNow()) {
        void this.refresh();
      }
    }, 1000);
    // A tab in the background is barely ticked: coming back, it renews its links at once.
    const onVisible = () => {
      if (document.visibilityState === 'visible' && this.renewLinksNow()) void this.refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopLive();
      clearInterval(poll);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }

  private linksRenewedAt = 0;
  /** True (once a half minute) when the page's links are about to expire: it renews them. */
  private renewLinksNow() {
    if (!linksDue(this.session?.linksExpireAt, Date.now(), this.linksRenewedAt)) return false;
    this.linksRenewedAt = Date.now();
    return true;
  }

  /** 0..1 of one image or clip: done when ready, else what its worker last reported. */
  assetFraction(asset: AssetView) {
    return asset.status === 'ready' ? 1 : (this.progress.fraction(asset.id) ?? 0);
  }
}

const visible = (assets: AssetView[]) => assets.filter((a) => a.status !== 'replaced');
