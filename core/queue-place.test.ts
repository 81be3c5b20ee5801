import { describe, expect, it } from 'vitest';
import { describePlace, placeInLine, type InLine } from './queue-place';

const waitingAt = (id: string, since: number, total = 0): InLine => ({ id, since, done: 0, total });
const serving = (id: string, done: number, total: number): InLine => ({
  id,
  since: 9_999,
  done,
  total,
});

describe('placeInLine', () => {
  it('is not waiting while a slot is free for it', () => {
    const mine = waitingAt('c', 30);
    const place = placeInLine(mine, [waitingAt('a', 10), mine], 2, 60_000);
    expect(place).toEqual({ ahead: 1, waiting: false, waitMs: 0 });
  });

  it('counts sessions being served and those that entered the stage earlier, not later ones', () => {
    const mine = waitingAt('m', 50);
    const line = [
      serving('s', 1, 3),
      waitingAt('a', 10),
      waitingAt('b', 40),
      mine,
      waitingAt('z', 60),
    ];
    const place = placeInLine(mine, line, 2, 60_000);
    expect(place.ahead).toBe(3);
    expect(place.waiting).toBe(true);
    // Jobs ahead: 2 left of s, 1 of a, 1 of b = 4; with 2 slots, 3 must finish first: 2 rounds.
    expect(place.waitMs).toBe(120_000);
  });

  it('breaks a tie in entry time by id, so two sessions never both stand ahead of each other', () => {
    const a = waitingAt('a', 10);
    const b = waitingAt('b', 10);
    expect(placeInLine(a, [a, b], 1, 1000).ahead).toBe(0);
    expect(placeInLine(b, [a, b], 1, 1000).ahead).toBe(1);
  });

  it('is never waiting once a job of its own is done', () => {
    const mine: InLine = { id: 'm', since: 50, done: 1, total: 4 };
    expect(placeInLine(mine, [waitingAt('a', 10), waitingAt('b', 20), mine], 1, 1000).waiting).toBe(
      false,
    );
  });

  it('gives no time while no job of the kind has been measured', () => {
    const mine = waitingAt('m', 50);
    const place = placeInLine(mine, [waitingAt('a', 10), mine], 1, undefined);
    expect(place).toEqual({ ahead: 1, waiting: true, waitMs: undefined });
  });
});

describe('describePlace', () => {
  it('says the place and the wait only when waiting', () => {
    expect(describePlace({ ahead: 3, waiting: true, waitMs: 4 * 60_000 })).toBe(
      'Queued, 3 ahead, about 4 min',
    );
    expect(describePlace({ ahead: 1, waiting: true, waitMs: 20_000 })).toBe(
      'Queued, 1 ahead, under a minute',
    );
    expect(describePlace({ ahead: 1, waiting: true, waitMs: undefined })).toBe('Queued, 1 ahead');
    expect(describePlace({ ahead: 0, waiting: false, waitMs: 0 })).toBeUndefined();
  });
});
