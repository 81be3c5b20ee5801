/**
 * Titles people can tell apart: sessions that share a title (two ads of one product) are told
 * apart by their shape and the day they were started, and by a number when even those match.
 */
export interface Titled {
  id: string;
  title: string;
  aspectRatio: string | null;
  createdAt: string;
}

// Named fields only: a date's day and month cannot be mixed with `timeStyle` (it throws).
const day = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });

/** The line under each title that tells it apart, by session id ('' where the title is unique). */
export function distinguishers(sessions: readonly Titled[]): Map<string, string> {
  const byTitle = new Map<string, Titled[]>();
  for (const s of sessions) byTitle.set(s.title, [...(byTitle.get(s.title) ?? []), s]);
  const out = new Map<string, string>();
  for (const group of byTitle.values()) {
    if (group.length === 1) {
      out.set(group[0]!.id, '');
      continue;
    }
    // Oldest first gets #1, so a number never changes as newer sessions are added.
    const oldestFirst = [...group].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    oldestFirst.forEach((s, index) =>
      out.set(
        s.id,
        [`#${index + 1}`, s.aspectRatio, `started ${day(s.createdAt)}`].filter(Boolean).join(' · '),
      ),
    );
  }
  return out;
}
