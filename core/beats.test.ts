import { describe, expect, it } from 'vitest';
import { assignRoles, completeRoles, orderByRole } from './beats';
import type { ProductView } from './options';

describe('beat roles', () => {
  it('deals one hook, one call to action and one reveal; the rest feature or lifestyle', () => {
    const views: ProductView[] = ['front', 'side', 'back', 'top', 'detail', 'lifestyle'];
    expect(assignRoles(views)).toEqual([
      'call_to_action',
      'reveal',
      'feature',
      'feature',
      'hook',
      'lifestyle',
    ]);
    expect(assignRoles(['front', 'side', 'back', 'top'])).toEqual([
      'call_to_action',
      'reveal',
      'feature',
      'hook',
    ]);
    expect(assignRoles(['front'])).toEqual(['reveal']);
    expect(assignRoles(['detail', 'detail'])).toEqual(['call_to_action', 'hook']);
    expect(assignRoles([])).toEqual([]);
  });

  it('orders by beat, keeping the order within a beat', () => {
    const items = [
      { id: 'a', role: 'call_to_action' as const },
      { id: 'b', role: 'feature' as const },
      { id: 'c', role: 'hook' as const },
      { id: 'd', role: undefined },
      { id: 'e', role: 'feature' as const },
      { id: 'f', role: 'reveal' as const },
    ];
    expect(orderByRole(items).map((i) => i.id)).toEqual(['c', 'f', 'b', 'd', 'e', 'a']);
  });

  it('keeps given roles only when the ad has its hook and its ending', () => {
    expect(completeRoles(['side', 'front'], ['hook', 'call_to_action'])).toEqual([
      'hook',
      'call_to_action',
    ]);
    expect(completeRoles(['side', 'front'], ['feature', 'reveal'])).toEqual([
      'hook',
      'call_to_action',
    ]);
    expect(completeRoles(['side', 'front'], ['hook', undefined])).toEqual([
      'hook',
      'call_to_action',
    ]);
  });
});
