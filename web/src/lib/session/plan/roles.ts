import type { BeatRole } from '#core/options.ts';

/** What each beat is called on tiles and in the plan review. */
export const ROLE_LABELS: Record<BeatRole, string> = {
  hook: 'Hook',
  reveal: 'Reveal',
  feature: 'Feature',
  lifestyle: 'Lifestyle',
  call_to_action: 'Call to action',
};

/** "Hook", "Call to action"…, or '' for assets planned before beats existed. */
export const roleLabel = (asset: { role?: BeatRole | undefined } | undefined) =>
  asset?.role ? ROLE_LABELS[asset.role] : '';

/** The ad's planned length as people read it. */
export const plannedLength = (durationSeconds: number | undefined) =>
  durationSeconds === undefined ? '8–12 seconds' : `${durationSeconds} seconds`;
