import { api, ApiError, messageOf, read, type SessionView } from '#lib/api.ts';
import { watchSession } from '#lib/live.ts';
import { STAGE_LABELS, isWorking } from '#lib/stages.ts';
import { expectedMs, type JobEstimate } from '#core/job-estimates.ts';
import type { AssetView } from '#core/session.ts';
import { focusKeyFor, type FocusKey } from './focus';
import { linksDue } from './links';
import type { QueueNow } from './progress/queue';
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
  /** How long jobs took in this studio before (GET /api/estimates), for first estimates. */
  estimates = $state<JobEstimate[]>([]);
  /** The session's place in line for a worker slot while its step works (issue 19). */
  queue = $state<QueueNow | null>(null);
  /**
   * Where focus goes after the person's action moved the session on: the new step's heading or
   * progress. `focusRequest` counts requests, so the same place can be asked for twice.
   */
  focusKey = $state<FocusKey | null>(null);
  focusRequest = $state(0);

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

  /** The music or render job running now: its asset is new until it is done. */
  readonly renderJob = $derived.by(() => {
    const s = this.session;
    if (!s || (s.stage !== 'generating_music' && s.stage !== 'rendering')) return undefined;
    // A lookup made and read within this derivation, not state of its own.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const known = new Set(
      [
        ...s.images,
        ...s.clips,
        ...(s.exports ?? []),
        s.music,
        s.voice,
        s.final,
        s.productCutout,
      ].map((a) => a?.id ?? ''),
    );
    return this.progress.latestOther(known, s.stage === 'rendering');
  });

  /**
   * A finished ad being made again (new text or music) or in another format: the work shows
   * with the ad, and the journey stays at its last step.
   */
  readonly reworking = $derived(
    !!this.session &&
      (this.session.stage === 'generating_music' || this.session.stage === 'rendering') &&
      (!!this.session.final || !!this.session.exportTarget),
  );

  /** What the work on the ad is called: a first render, a render again, or an export. */
  readonly renderLabel = $derived.by(() => {
    const s = this.session;
    if (!s) return '';
    if (s.exportTarget) return `Exporting the ${s.exportTarget} version`;
    const again = this.reworking ? ' again' : '';
    return s.stage === 'generating_music'
      ? `Making the music${again}`
      : `Rendering your ad${again}`;
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
    if (before && before.stage !== next.stage && Date.now() < this.moveAwaitedUntil) {
      this.moveAwaitedUntil = 0;
      this.focusKey = focusKeyFor(next);
      this.focusRequest++;
    }
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

  /**
   * Takes the answer to the person's own action: focus follows the session from where the action
   * found it (`actedOn`, taken when the action started: a live update may have brought the new
   * step before this answer) to its new step.
   */
  adoptAnswer(next: SessionView, actedOn: SessionView) {
    this.adopt(next);
    this.followUp(actedOn);
  }

  /** An action was answered before the session moved on: the move that follows soon is its. */
  private moveAwaitedUntil = 0;

  private followUp(before: SessionView | null) {
    const after = this.session;
    if (!after) return;
    if (after.stage === before?.stage && after.exportTarget === before?.exportTarget) {
      this.moveAwaitedUntil = Date.now() + FOLLOW_UP_MS;
      return;
    }
    this.moveAwaitedUntil = 0;
    this.focusKey = focusKeyFor(after);
    this.focusRequest++;
  }

  /** Runs one action: disables the buttons, shows the API's message if it fails. */
  async run(action: string, call: () => Promise<unknown>) {
    if (this.busy) return;
    this.busy = action;
    this.actionError = null;
    const before = this.session;
    try {
      const result = await call();
      if (result && typeof result === 'object' && 'stage' in result) {
        this.adopt(result as SessionView);
      } else {
        await this.refresh();
      }
      this.followUp(before);
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
    void this.loadEstimates();
    void this.loadQueue();
    const stopLive = watchSession(this.id, {
      onState: () => void this.refresh(),
      onProgress: ({ assetId, fraction, step }) =>
        this.progress.observe(assetId, fraction, Date.now(), step),
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
      if (working && ticks % 5 === 0) void this.loadQueue();
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

  /** Where the step's work stands in line, asked while the studio works on the session. */
  async loadQueue() {
    try {
      this.queue = await read(await api.sessions[':id'].queue.$get({ param: { id: this.id } }));
    } catch {
      // Without it the step shows its own progress, as before.
      this.queue = null;
    }
  }

  async loadEstimates() {
    try {
      this.estimates = (await read(await api.estimates.$get())).jobs;
    } catch {
      // Without history the estimates come from the observed rate alone.
    }
  }

  /** What a job of this type took before in this studio, for this session's provider and shape. */
  expectedMs(type: AssetView['type']): number | undefined {
    const s = this.session;
    // A voiceover is spoken within the render, which its estimate covers.
    if (!s || type === 'voice') return undefined;
    const shape =
      type === 'final' ? (s.exportTarget ?? s.options.aspectRatio) : s.options.aspectRatio;
    return expectedMs(this.estimates, {
      provider: s.options.provider,
      type,
      // Music has no picture: it is measured as square.
      aspectRatio: type === 'music' ? '1:1' : shape,
      adSeconds: s.options.durationSeconds,
    });
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

/** How long after an action's answer the session's next move still counts as its result. */
const FOLLOW_UP_MS = 15_000;

const visible = (assets: AssetView[]) => assets.filter((a) => a.status !== 'replaced');
