/** Links are renewed this long before they expire. */
export const LINK_RENEW_MARGIN_S = 300;
/** At most one renewal every half minute, whatever the clock says. */
export const LINK_RENEW_PAUSE_MS = 30_000;

/**
 * Whether a page should ask for fresh media and download links now: they expire within the
 * margin (a page left open for hours, or a tab that slept) and it has not just asked.
 */
export function linksDue(
  expiresAt: number | undefined,
  nowMs: number,
  lastRenewedMs: number,
): boolean {
  if (expiresAt === undefined || nowMs - lastRenewedMs < LINK_RENEW_PAUSE_MS) return false;
  return nowMs / 1000 >= expiresAt - LINK_RENEW_MARGIN_S;
}
