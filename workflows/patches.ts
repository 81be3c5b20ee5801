/**
 * Every patched() id the session workflow has ever used, in one place. A history recorded before
 * a patch takes its old branch on replay, so an id stays here (and its branch in the code) until
 * no open session and no kept history can reach the old branch; then it is deprecated
 * (`deprecatePatch`) for one release and removed in the next. Each id has a committed history
 * that takes its old branch and one that takes its new branch (test/replay.test.ts checks both).
 */
export const PATCHES = {
  /** A stage with some assets made goes on without the failed ones. */
  partialFailure: { id: 'partial-failure', added: '2026-11-22 (c8a1e82)' },
  /** A regenerated asset is kept beside the old one until the person picks one of the two. */
  sideBySideVariants: { id: 'side-by-side-variants', added: '2026-11-22 (c8a1e82)' },
  /** Runs keep their search attributes current at every stage. */
  searchAttributes: { id: 'search-attributes', added: '2026-11-22 (c8a1e82)' },
  /** A completed session's workflow returns instead of waiting for a person. */
  completedSessionsClose: { id: 'completed-sessions-close', added: '2026-11-22 (9210c2a)' },
  /** Scenes longer than one clip chain clips through their last frame. */
  clipChains: { id: 'clip-chains', added: '2026-11-22 (ff509e9)' },
  /** A session may stop after planning for the person's review. */
  planReview: { id: 'plan-review', added: '2026-11-22 (ff509e9)' },
  /** Local sessions cut the product out of the uploaded photo. */
  localPhotoCutout: { id: 'local-photo-cutout', added: '2026-11-22 (9787453)' },
  /** The row is written as soon as a person acts. */
  syncAfterAction: { id: 'sync-after-action', added: '2026-11-22 (3b12a8d)' },
  /**
   * A composition with a voiceover speaks it (an activity) before the render mixes it in. Only
   * compositions with a voice reach it, and none existed before it, so the histories without a
   * voice (every earlier one) are its old shape; test/histories/voice-* its new one.
   */
  voiceover: { id: 'voiceover', added: '2026-12-04' },
} as const satisfies Record<string, { id: string; added: string; deprecated?: string }>;

export type PatchName = keyof typeof PATCHES;
