import type { AssetView } from '#core/session.ts';

/**
 * One clip order everywhere: the plan's, then the person's. Never the order clips finished in.
 *
 * `planned` is the session's clip list as the workflow keeps it: in plan order, a regenerated
 * clip's variant just after it (before variants: its successor just before it). `chosen` is the
 * person's order (their drag and drop, or the approved order) and comes first; a clip made
 * again takes the place of the one it replaces, and clips it does not name follow in plan order.
 */
export function clipOrder(planned: readonly AssetView[], chosen: readonly string[]): string[] {
  const live = planned.filter((c) => c.status !== 'replaced');
  const liveIds = new Set(live.map((c) => c.id));
  const successor = successors(planned);
  const order: string[] = [];
  for (const id of chosen) {
    const now = successor.get(id) ?? id;
    if (liveIds.has(now) && !order.includes(now)) order.push(now);
  }
  // Then the rest (not chosen, or planned since), in the plan's order; a variant right after
  // the clip it was made from, so the two are seen side by side.
  for (const clip of live) {
    if (order.includes(clip.id)) continue;
    const origin = clip.variantOf ? order.indexOf(clip.variantOf) : -1;
    if (origin >= 0) order.splice(origin + 1, 0, clip.id);
    else order.push(clip.id);
  }
  return order;
}

/**
 * Each replaced clip's live successor: the variant kept in its place (`variantOf`), or, in runs
 * from before variants, the clip put just before it (walking back over a chain of replaced ones)
 * when it was made from the same image.
 */
function successors(planned: readonly AssetView[]) {
  const map = new Map<string, string>();
  planned.forEach((clip, index) => {
    if (clip.status !== 'replaced') return;
    const variant = planned.find((c) => c.variantOf === clip.id && c.status !== 'replaced');
    if (variant) {
      map.set(clip.id, variant.id);
      return;
    }
    for (let i = index - 1; i >= 0; i--) {
      const before = planned[i]!;
      if (before.sourceImageId !== clip.sourceImageId) break;
      if (before.status !== 'replaced') {
        map.set(clip.id, before.id);
        break;
      }
    }
  });
  return map;
}
