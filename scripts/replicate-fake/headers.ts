/**
 * The two request headers that change how a create behaves: `Prefer: wait[=n]` (hold the answer
 * until the prediction ends, at most n seconds) and `Cancel-After` (a Go-style duration after
 * which an unfinished prediction is stopped).
 */

const MAX_WAIT_SECONDS = 60;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds to hold a create, or undefined when the client did not ask to wait. */
export function parsePreferWait(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const part of header.split(/[,;]/)) {
    const match = /^\s*wait(?:\s*=\s*(\d+))?\s*$/i.exec(part);
    if (!match) continue;
    const seconds = match[1] === undefined ? MAX_WAIT_SECONDS : Number(match[1]);
    return Math.min(MAX_WAIT_SECONDS, Math.max(1, seconds)) * 1000;
  }
  return undefined;
}

/**
 * `30s`, `5m`, `1h30m45s`, `1.5s`, `500ms` -> milliseconds. Undefined when absent; throws a
 * readable message when present but not a positive duration.
 */
export function parseDuration(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    const unit = match?.[2];
    if (!match || !unit) break;
    total += Number(match[1]) * (UNIT_MS[unit] ?? 0);
    index = part.lastIndex;
  }
  if (index !== text.length || total <= 0) {
    throw new Error(
      `Cancel-After must be a duration such as 30s, 5m or 1h30m45s (got "${text.slice(0, 40)}").`,
    );
  }
  return Math.round(total);
}
