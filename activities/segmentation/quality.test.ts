import { describe, expect, it } from 'vitest';
import type { CutoutMetrics } from '../../core/cutout-quality';
import { borderTouch, judge, mapConfidence } from './quality';

/** The quality gate's verdicts, pure: the metrics below are the ones measured on real photos. */
const product: CutoutMetrics = {
  certainty: 0.97,
  productShare: 0.47,
  borderTouch: 0,
  pieces: 1,
  modelAgreement: 0.99,
  peak: 1,
};

describe('the cutout quality gate', () => {
  it('passes a product cleanly separated (the espresso cup on its table)', () => {
    const verdict = judge(product, 'model');
    expect(verdict).toMatchObject({ verdict: 'good', problems: [] });
    expect(verdict.advice).toBeUndefined();
  });

  it('refuses a small product in a scene (the rocket on its pad), saying what photo would work', () => {
    const verdict = judge(
      { ...product, certainty: 0.24, productShare: 0.02, modelAgreement: 0.51 },
      'model',
    );
    expect(verdict.verdict).toBe('refused');
    expect(verdict.summary).toBe(
      'The product covers only 2 % of the photo: too small to cut out cleanly.',
    );
    expect(verdict.problems).toContain(
      'The studio sees more than one possible product in this photo.',
    );
    expect(verdict.advice).toMatch(/main subject: large in the frame, whole/);
  });

  it('refuses a photo where nothing stands out, or where everything does', () => {
    expect(judge({ ...product, peak: 0.14, productShare: 0 }, 'model').summary).toBe(
      'Nothing in this photo stands out as a product.',
    );
    expect(judge({ ...product, productShare: 1, borderTouch: 1 }, 'model').summary).toMatch(
      /^The whole photo looks like the product/,
    );
  });

  it('doubts a product cut off by the frame and says to show it whole', () => {
    const verdict = judge({ ...product, borderTouch: 0.24, productShare: 0.61 }, 'model');
    expect(verdict.verdict).toBe('doubtful');
    expect(verdict.summary).toMatch(/runs off the edge of the photo/);
    expect(verdict.advice).toMatch(/whole product/);
  });

  it('doubts an outline the two networks or the flood fill disagree on', () => {
    expect(judge({ ...product, modelAgreement: 0.7 }, 'model').verdict).toBe('doubtful');
    expect(judge({ ...product, agreement: 0.5 }, 'model').summary).toMatch(/disagree/);
  });

  it('never refuses a transparent PNG the person made, only says what looks off', () => {
    const verdict = judge({ ...product, productShare: 1, borderTouch: 1 }, 'alpha-kept');
    expect(verdict.verdict).toBe('doubtful');
  });

  it('measures certainty from the map and the edge the product touches', () => {
    const map = Float32Array.from([1, 1, 0.95, 0.5, 0, 0, 0, 0]);
    expect(mapConfidence(map)).toEqual({ certainty: 0.75, peak: 1 });
    // 4 x 3: the product fills the left column only.
    const alpha = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0]);
    expect(borderTouch(alpha, 4, 3)).toBeCloseTo(3 / 10, 6);
  });
});
