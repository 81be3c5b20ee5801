import { describe, expect, it } from 'vitest';
import { blend, contrastRatio, MIN_TEXT_CONTRAST } from '../contrast';
import { readableOverFootage } from './scrim';

describe('text over sampled footage', () => {
  it('keeps the colour and plate when they already read', () => {
    const choice = readableOverFootage('#ffffff', '#1d1d1f', ['#202020', '#d0d0d0'], 0.85);
    expect(choice).toMatchObject({ colour: '#ffffff', plateOpacity: 0.85 });
  });

  it('thickens the scrim until grey text reads over a brown, busy background', () => {
    // A half-clear mid-brown plate over footage from dark wood to a bright window: no shade of
    // the text passes over every sample at 50 %.
    const samples = ['#1a0f08', '#6e4a32', '#fff4e0'];
    const choice = readableOverFootage('#8a8a8a', '#7a5236', samples, 0.5);
    expect(choice.contrast).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    for (const s of samples) {
      expect(
        contrastRatio(choice.colour, blend('#7a5236', s, choice.plateOpacity)),
      ).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
    expect(choice.plateOpacity).toBeGreaterThan(0.5);
  });
});
