/**
 * Runs calls one after another, in the order they were asked for. A local activity's marker is
 * written when it finishes, and a worker replaying a history from scratch (an eviction, a
 * restart, a query on an uncached run) matches markers in the order the calls were made: two
 * row writes that overlapped and finished out of order made that replay nondeterministic
 * ("Local activity marker data has sequence number 10 but matched against LA command with
 * sequence number 12"). A row write takes milliseconds; waiting for the one before costs nothing.
 */
export function oneAtATime() {
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(call: () => Promise<T>): Promise<T> => {
    const next = tail.then(call, call);
    tail = next.catch(() => undefined);
    return next;
  };
  /** The same activities, each call waiting for the one before. */
  const inOrder = <T extends object>(activities: T): T =>
    new Proxy(activities, {
      get(target, name) {
        const method = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => run(() => method(...args));
      },
    });
  return { run, inOrder };
}
