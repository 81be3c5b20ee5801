/**
 * Every patched() id the session workflow has ever used, in one place. A history recorded before
 * a patch takes its old branch on replay, so an id stays here (and its branch in the code) until
 * no open session and no kept history can reach the old branch; then it is deprecated
 * (`deprecatePatch`) for one release and removed in the next. Each id has a committed history
 * that takes its old branch and one that takes its new branch (test/patches.test.ts checks both,
 * by replaying test/histories/).
 *
 * `mayDeprecateFrom`: the first day no session can still be on the old branch, when every
 * deployment runs the release that added the patch: its date plus the longest a session waits
 * for a person (SESSION_IDLE_TIMEOUT, 30 days). A deployment with a longer idle timeout, or one
 * upgraded later than that, waits longer: `npm run session -- replay --all-open` against
 * code with `deprecatePatch` tells. Deprecating a patch also retires the histories and the data
 * snapshots (test/snapshots/) that take its old branch, since no code can carry them on.
 */
export const PATCHES = {
  /** A stage with some assets made goes on without the failed ones. */
  partialFailure: {
    id: 'partial-failure',
    added: '2026-11-22 (c8a1e82)',
    mayDeprecateFrom: '2026-12-22',
  },
  /** A regenerated asset is kept beside the old one until the person picks one of the two. */
  sideBySideVariants: {
    id: 'side-by-side-variants',
    added: '2026-11-22 (c8a1e82)',
    mayDeprecateFrom: '2026-12-22',
  },
  /** Runs keep their search attributes current at every stage. */
  searchAttributes: {
    id: 'search-attributes',
    added: '2026-11-22 (c8a1e82)',
    mayDeprecateFrom: '2026-12-22',
  },
  /** A completed session's workflow returns instead of waiting for a person. */
  completedSessionsClose: {
    id: 'completed-sessions-close',
    added: '2026-11-22 (9210c2a)',
    mayDeprecateFrom: '2026-12-22',
  },
  /** Scenes longer than one clip chain clips through their last frame. */
  clipChains: { id: 'clip-chains', added: '2026-11-22 (ff509e9)', mayDeprecateFrom: '2026-12-22' },
  /** A session may stop after planning for the person's review. */
  planReview: { id: 'plan-review', added: '2026-11-22 (ff509e9)', mayDeprecateFrom: '2026-12-22' },
  /** Local sessions cut the product out of the uploaded photo. */
  localPhotoCutout: {
    id: 'local-photo-cutout',
    added: '2026-11-22 (9787453)',
    mayDeprecateFrom: '2026-12-22',
  },
  /** The row is written as soon as a person acts. */
  syncAfterAction: {
    id: 'sync-after-action',
    added: '2026-11-22 (3b12a8d)',
    mayDeprecateFrom: '2026-12-22',
  },
  /** A made asset's rows and its ledger entry are one activity (recordResult), not two. */
  oneWritePerResult: {
    id: 'one-write-per-result',
    added: '2026-12-04 (issue 17)',
    mayDeprecateFrom: '2027-01-03',
  },
  /** A session holding images (from the mood board) makes the views they lack, not repeats. */
  fillMissingViews: {
    id: 'fill-missing-views',
    added: '2026-12-04 (issue 16)',
    mayDeprecateFrom: '2027-01-03',
  },
  /**
   * A composition with a voiceover speaks it (an activity) before the render mixes it in. Every
   * render asks, so renders recorded before it are its old branch; test/histories/voice-* and
   * every later render its new one.
   */
  voiceover: { id: 'voiceover', added: '2026-12-04 (issue 18)', mayDeprecateFrom: '2027-01-03' },
  /**
   * The plan review's cutout takes the person's marks, and a photo the quality gate refuses
   * stays at the review (the cutout failed, with its verdict) for the person to fix, instead of
   * failing the step. Asked at every cutout for review, so earlier reviews are its old branch.
   */
  reviewCutoutFixes: {
    id: 'review-cutout-fixes',
    added: '2026-12-05 (issue 13, branch review)',
    mayDeprecateFrom: '2027-01-04',
  },
  /** A cancelled session stays cancelled when a step's last result comes in with the cancel. */
  cancelStays: {
    id: 'overload-cancel-stays',
    added: '2026-12-05 (issue 19)',
    mayDeprecateFrom: '2027-01-04',
  },
  /**
   * Database writes (rows, ledger, mood board) run as local activities: markers in the history,
   * so an operator's timeline in Temporal UI shows the work, not the filing.
   */
  operatorsBookkeepingLocal: {
    id: 'operators-bookkeeping-local',
    added: '2026-12-05 (issue 16)',
    mayDeprecateFrom: '2027-01-04',
  },
  /**
   * Local activities (row writes) run one at a time, so their markers are in the order they were
   * asked for and a replay from scratch matches them (workflows/one-at-a-time.ts).
   */
  localWritesInOrder: {
    id: 'local-writes-in-order',
    added: '2026-12-05 (issue 19)',
    mayDeprecateFrom: '2027-01-04',
  },
  /**
   * Database writes are activities again, with their results in the history as events. A local
   * activity's result can reach the workflow a task after the one whose commands hold its marker
   * (TS SDK 1.24 under load), and a run replayed from its history then meets the result earlier
   * than it did: a row write asked for after it got a sequence number another write had
   * (test/nondeterminism/). Events replay in the order they happened, whatever the load.
   */
  writesAsActivities: {
    id: 'overload-writes-as-activities',
    added: '2026-12-05 (issue 19)',
    mayDeprecateFrom: '2027-01-04',
  },
  /**
   * A run decides every patch in its first workflow task (issue 19): no marker can land a task
   * after the local activity whose result comes before it.
   */
  patchesDecidedFirst: {
    id: 'overload-patches-decided-first',
    added: '2026-12-05 (issue 19)',
    mayDeprecateFrom: '2027-01-04',
  },
  /**
   * A paid provider's clip is made in two activities: the model's clip, stored as it came, on the
   * provider's queue (many at once, since they wait on the provider), then brought to the
   * session's format and checked on the clip-finishing queue (one per core). Runs from before
   * made both in one activity on the provider's queue.
   */
  clipsFinishedApart: {
    id: 'overload-clips-finished-apart',
    added: '2026-12-05 (issue 19)',
    mayDeprecateFrom: '2027-01-04',
  },
} as const satisfies Record<
  string,
  { id: string; added: string; mayDeprecateFrom: string; deprecated?: string }
>;

export type PatchName = keyof typeof PATCHES;
