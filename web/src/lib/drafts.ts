/**
 * What a person chose on a session page but has not sent yet (ticked images, a typed video
 * description, the ad's text and colours), kept in this browser per user and session, so leaving
 * and coming back does not lose it. Cleared once the step is sent. Storage may be unavailable
 * (private mode, quota): then drafts are simply not kept.
 */
const PREFIX = 'studio-draft';

export const draftKey = (userId: string, sessionId: string, part: string) =>
  `${PREFIX}:${userId}:${sessionId}:${part}`;

export function loadDraft<T>(key: string, valid: (value: unknown) => value is T): T | undefined {
  try {
    const text = localStorage.getItem(key);
    if (text === null) return undefined;
    const value: unknown = JSON.parse(text);
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // No room or no storage: the draft lives only in the page.
  }
}

export function clearDraft(key: string) {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing kept, nothing to clear.
  }
}
