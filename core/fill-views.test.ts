import { describe, expect, it } from 'vitest';
import type { ProductView } from './options';
import { shotsToFill } from './fill-views';

const plan = (...views: ProductView[]) => views.map((view, i) => ({ view, n: i }));

describe('the shots a session from mood-board images still needs', () => {
  it('are the views its copies do not show', () => {
    const shots = plan('front', 'side', 'back', 'top');
    // Copies of a front and a top view: the side and the back are made, not a second top.
    expect(shotsToFill(shots, ['front', 'top']).map((s) => s.view)).toEqual(['side', 'back']);
    expect(shotsToFill(shots, ['back', 'top']).map((s) => s.view)).toEqual(['front', 'side']);
  });

  it('repeat a view only when the plan has no other left', () => {
    const shots = plan('front', 'side', 'back', 'top');
    expect(shotsToFill(shots, ['front', 'front', 'side']).map((s) => s.view)).toEqual(['back']);
    expect(
      shotsToFill(plan('front', 'side', 'front', 'side'), ['front', 'side']).map((s) => s.view),
    ).toEqual(['front', 'side']);
  });

  it('count a copy of unknown view as taking a place, not a view', () => {
    const shots = plan('front', 'side', 'back', 'top');
    expect(shotsToFill(shots, [undefined, 'side']).map((s) => s.view)).toEqual(['front', 'back']);
  });

  it('are the plan as it is when nothing is kept, and none when the copies fill it', () => {
    const shots = plan('front', 'side', 'back', 'top');
    expect(shotsToFill(shots, [])).toEqual(shots);
    expect(shotsToFill(shots, ['front', 'side', 'back', 'top', 'detail'])).toEqual([]);
  });
});
