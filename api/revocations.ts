/**
 * Sign-ins that end, told to whoever holds something of them beyond a token check: socket.io
 * connections opened before the end stay open, and keep receiving the user's events, unless they
 * are closed. tokens.ts reports here; realtime.ts listens and disconnects the sockets (through
 * the socket.io adapter, on every API instance).
 */
export type Revocation =
  { kind: 'sign-in'; familyId: string } | { kind: 'all-but'; userId: string; keepFamilyId: string };

export function createRevocations() {
  const listeners = new Set<(revocation: Revocation) => void>();
  const tell = (revocation: Revocation) => {
    for (const listener of listeners) listener(revocation);
  };
  return {
    subscribe(listener: (revocation: Revocation) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** A sign-in ended (sign-out, a replayed refresh token), or all of a user's but one. */
    tell,
  };
}

export type Revocations = ReturnType<typeof createRevocations>;
