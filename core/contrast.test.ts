import { describe, expect, it } from 'vitest';
import { MIN_TEXT_CONTRAST, contrastRatio, nearestPassing } from './contrast';

describe('contrast', () => {
  it('measures WCAG contrast', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });

  it('leaves a passing colour alone and finds the nearest passing shade otherwise', () => {
    expect(nearestPassing('#ffffff', ['#000000'])).toBe('#ffffff');
    const fixed = nearestPassing('#ffffff', ['#f0e8e0']);
    expect(contrastRatio(fixed, '#f0e8e0')).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    // Nearest: only as dark as it must be, not black.
    expect(fixed).not.toBe('#000000');
    expect(contrastRatio(nearestPassing('#ff5a36', ['#ffffff']), '#ffffff')).toBeGreaterThanOrEqual(
      MIN_TEXT_CONTRAST,
    );
  });
});
