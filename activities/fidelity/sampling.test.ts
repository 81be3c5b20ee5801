import { describe, expect, it } from 'vitest';
import { scoringOrder, travelOf } from './score';

const box = { left: 100, top: 50, width: 200, height: 100 };
const still = { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 };

describe('travelOf', () => {
  it('is 0 for the still itself and the farthest corner’s move otherwise', () => {
    expect(travelOf(still, box)).toBe(0);
    expect(travelOf({ ...still, offsetX: -12, offsetY: 5 }, box)).toBe(12);
    // A 1.1x zoom about the origin moves the right edge (x = 300) by 30 px.
    expect(travelOf({ ...still, scaleX: 1.1, scaleY: 1.1 }, box)).toBeCloseTo(30, 6);
  });
});

describe('scoringOrder', () => {
  it('scores the frame the move carries furthest first, then the others in clip order', () => {
    const zoom = (scale: number) => ({ placement: { ...still, scaleX: scale, scaleY: scale } });
    expect(scoringOrder([zoom(1), zoom(1.05), zoom(1.1)], box)).toEqual([2, 1, 0]);
    expect(scoringOrder([zoom(1.1), zoom(1.05), zoom(1)], box)).toEqual([0, 1, 2]);
    expect(scoringOrder([zoom(1), zoom(1)], box)).toEqual([0, 1]);
  });
});
