import { describe, expect, it } from 'vitest';
import { oneAtATime } from './one-at-a-time';

describe('oneAtATime', () => {
  it('starts each call only when the one before has finished, in the order asked', async () => {
    const { inOrder } = oneAtATime();
    const seen: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const writes = inOrder({
      async write(name: string, wait?: Promise<void>) {
        seen.push(`start ${name}`);
        await wait;
        seen.push(`end ${name}`);
        return name;
      },
    });
    const first = writes.write('a', slow);
    const second = writes.write('b');
    await Promise.resolve();
    expect(seen).toEqual(['start a']);
    release();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(seen).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('goes on after a call that failed, and gives each caller its own answer', async () => {
    const { run } = oneAtATime();
    const failed = run(() => Promise.reject(new Error('database down')));
    const next = run(() => Promise.resolve('written'));
    await expect(failed).rejects.toThrow('database down');
    await expect(next).resolves.toBe('written');
  });
});
