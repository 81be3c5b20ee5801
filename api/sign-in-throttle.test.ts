import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors';
import { createSignInThrottle } from './sign-in-throttle';

/** The wait after wrong passwords grows per address and account, and a success clears it. */
describe('sign-in throttle', () => {
  const waitOf = (run: () => void) => {
    try {
      run();
      return 0;
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError & { details: { retryAfterSeconds: number } }).details
        .retryAfterSeconds;
    }
  };

  it('lets a few failures through, then doubles the wait up to the longest', () => {
    let now = 0;
    const throttle = createSignInThrottle({
      freeFailures: 2,
      firstDelayMs: 5_000,
      longestDelayMs: 30_000,
      now: () => now,
    });
    const waits = [];
    for (let i = 0; i < 6; i++) {
      const wait = waitOf(() => throttle.check('a'));
      waits.push(wait);
      now += wait * 1000;
      throttle.fail('a');
    }
    expect(waits).toEqual([0, 0, 0, 5, 10, 20]);
    expect(waitOf(() => throttle.check('a'))).toBe(30);
    // Another pair never waits for this one; a success starts this one over.
    expect(waitOf(() => throttle.check('b'))).toBe(0);
    now += 30_000;
    throttle.succeed('a');
    throttle.fail('a');
    expect(waitOf(() => throttle.check('a'))).toBe(0);
  });

  it('forgets a pair that has not failed for a long while', () => {
    let now = 0;
    const throttle = createSignInThrottle({
      freeFailures: 0,
      forgetAfterMs: 60_000,
      now: () => now,
    });
    throttle.fail('a');
    expect(waitOf(() => throttle.check('a'))).toBeGreaterThan(0);
    now += 60_000;
    expect(waitOf(() => throttle.check('a'))).toBe(0);
  });
});
