/**
 * Where to go after signing in: the page the person was on, given as `?next=`. Only a path on
 * this site is followed (never another origin, a protocol-relative `//host` or a backslash
 * trick), and never back to the sign-in pages; anything else goes home.
 */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  try {
    const url = new URL(next, origin);
    if (url.origin !== origin) return '/';
    if (url.pathname === '/login' || url.pathname === '/signup') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

/** The sign-in page's address that brings the person back to `path` afterwards. */
export const loginFor = (path: string) =>
  path === '/' || path === '/login' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
