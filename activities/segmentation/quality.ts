import type { CutoutMetrics, CutoutQuality } from '../../core/cutout-quality';
import { ON, countOn, iou, labelRegions, resizeMask } from './mask-ops';

/**
 * The quality gate of a cutout, pure: measures (metrics) and a verdict in plain words. The limits
 * were set on the evaluation photos (bench/cutout.ts): every product-on-table photo passes, a
 * rocket on its pad and a landscape are refused. They are deliberately conservative; a person
 * can still mark what to keep or drop, or upload a transparent PNG.
 */

export const LIMITS = {
  /** Below this peak saliency nothing in the photo stands out. */
  minPeak: 0.5,
  /** A product covering less of the photo is too small to cut out cleanly. */
  minShare: 0.03,
  /** Below this the model is unsure where the product ends. */
  minCertainty: 0.6,
  /** Below this overlap the two networks see different products: refused. */
  minModelAgreement: 0.6,
  /** Below this overlap the two networks disagree about the outline: doubtful. */
  goodModelAgreement: 0.85,
  /** A cutout touching more of the photo's edge than this is cut off by the frame. */
  maxBorderTouch: 0.08,
  /** Covering more of the photo than this, the "product" is probably the whole scene. */
  maxShare: 0.85,
  /** Touching more of the edge than this, or covering more than `wholeShare`, it is the photo. */
  wholeBorder: 0.6,
  wholeShare: 0.95,
  /** Below this overlap with the backdrop flood fill (where it applies) the two disagree. */
  minAgreement: 0.8,
  /** A separate piece is counted when it is at least this share of the largest. */
  pieceShare: 0.05,
} as const;

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Certainty and peak of the coarse saliency map (0..1 a pixel). */
export function mapConfidence(map: Float32Array): { certainty: number; peak: number } {
  let sure = 0;
  let unsure = 0;
  let peak = 0;
  for (const p of map) {
    if (p > peak) peak = p;
    if (p >= 0.9) sure++;
    else if (p > 0.1) unsure++;
  }
  return { certainty: sure + unsure === 0 ? 0 : sure / (sure + unsure), peak };
}

/** Share of the frame's edge pixels that lie in the mask. */
export function borderTouch(alpha: Uint8Array, width: number, height: number): number {
  let on = 0;
  for (let x = 0; x < width; x++) {
    if (alpha[x]! >= ON) on++;
    if (alpha[(height - 1) * width + x]! >= ON) on++;
  }
  for (let y = 1; y < height - 1; y++) {
    if (alpha[y * width]! >= ON) on++;
    if (alpha[y * width + width - 1]! >= ON) on++;
  }
  return on / (2 * width + 2 * Math.max(0, height - 2));
}

/** Pieces of the mask at least `LIMITS.pieceShare` of the largest one. */
export function countPieces(alpha: Uint8Array, width: number, height: number): number {
  const { sizes } = labelRegions(width, height, (i) => alpha[i]! >= ON);
  const largest = Math.max(0, ...sizes.slice(1));
  return sizes.slice(1).filter((s) => s >= largest * LIMITS.pieceShare).length;
}

/**
 * The backdrop flood fill's opinion counts only where it found a plain backdrop: it removed a
 * real share of the photo and left a product-sized region.
 */
export function floodApplies(flood: Uint8Array): boolean {
  const share = countOn(flood) / flood.length;
  return share >= 0.02 && share <= 0.85;
}

export interface QualityInput {
  /** The model's coarse map (e.g. 320 x 320), 0..1 a pixel. */
  map: Float32Array;
  /** IoU of the two networks' masks, when both ran. */
  modelAgreement?: number | undefined;
  /** The final alpha, width x height. */
  alpha: Uint8Array;
  width: number;
  height: number;
  /** The flood fill's alpha of the same photo (any size), when it was run. */
  flood?: { alpha: Uint8Array; width: number; height: number } | undefined;
}

export function measure(input: QualityInput): CutoutMetrics {
  const { alpha, width, height } = input;
  const { certainty, peak } = mapConfidence(input.map);
  let agreement: number | undefined;
  if (input.flood && floodApplies(input.flood.alpha)) {
    const ours = resizeMask(alpha, width, height, input.flood.width, input.flood.height);
    agreement = round(iou(ours, input.flood.alpha));
  }
  return {
    certainty: round(certainty),
    productShare: round(countOn(alpha) / alpha.length),
    borderTouch: round(borderTouch(alpha, width, height)),
    pieces: countPieces(alpha, width, height),
    agreement,
    modelAgreement: input.modelAgreement === undefined ? undefined : round(input.modelAgreement),
    peak: round(peak),
  };
}

const pct = (v: number) => `${Math.round(v * 100)} %`;

const ADVICE = {
  unclear:
    'Use a photo where the product is the main subject: large in the frame, whole, and in front ' +
    'of a plain or uncluttered background. Or mark the product with a box, or upload a PNG with ' +
    'a transparent background.',
  cropped: 'Use a photo that shows the whole product with a little space around it.',
  busy: 'A photo on a plain backdrop, or a box drawn around the product, gives a cleaner cutout.',
} as const;

/** The verdict on the metrics, in words a person understands. */
export function judge(metrics: CutoutMetrics, method: CutoutQuality['method']): CutoutQuality {
  const refusals: string[] = [];
  const doubts: string[] = [];
  if (metrics.peak < LIMITS.minPeak || metrics.productShare === 0) {
    refusals.push('Nothing in this photo stands out as a product.');
  } else {
    if (metrics.productShare > LIMITS.wholeShare || metrics.borderTouch > LIMITS.wholeBorder) {
      refusals.push(
        'The whole photo looks like the product: the studio found no background around it.',
      );
    }
    if (metrics.productShare < LIMITS.minShare) {
      refusals.push(
        `The product covers only ${pct(metrics.productShare)} of the photo: too small to cut out cleanly.`,
      );
    }
    if (metrics.certainty < LIMITS.minCertainty) {
      refusals.push(
        'The studio cannot tell where the product ends and the background begins (the edge is unsure).',
      );
    }
    if (metrics.modelAgreement !== undefined && metrics.modelAgreement < LIMITS.minModelAgreement) {
      refusals.push('The studio sees more than one possible product in this photo.');
    }
  }
  if (metrics.borderTouch > LIMITS.maxBorderTouch) {
    doubts.push(
      'The product runs off the edge of the photo, so it will look cut off in every scene.',
    );
  }
  if (metrics.productShare > LIMITS.maxShare) {
    doubts.push(
      `The cutout covers ${pct(metrics.productShare)} of the photo: it may have kept background.`,
    );
  }
  if (metrics.pieces > 1) {
    doubts.push(
      `The cutout is in ${metrics.pieces} separate pieces: something else may have been kept.`,
    );
  }
  if (metrics.modelAgreement !== undefined && metrics.modelAgreement < LIMITS.goodModelAgreement) {
    doubts.push("The studio's two ways of finding the product disagree about its outline.");
  }
  if (metrics.agreement !== undefined && metrics.agreement < LIMITS.minAgreement) {
    doubts.push('Two ways of separating the product from the backdrop disagree about its outline.');
  }
  if (method === 'alpha-kept') {
    return {
      verdict: doubts.length ? 'doubtful' : 'good',
      method,
      summary: doubts[0] ?? 'Your transparent PNG is used exactly as you uploaded it.',
      problems: doubts,
      advice: doubts.length ? ADVICE.cropped : undefined,
      metrics,
    };
  }
  if (refusals.length) {
    return {
      verdict: 'refused',
      method,
      summary: refusals[0]!,
      problems: [...refusals, ...doubts],
      advice: ADVICE.unclear,
      metrics,
    };
  }
  if (doubts.length) {
    const cropped = metrics.borderTouch > LIMITS.maxBorderTouch;
    return {
      verdict: 'doubtful',
      method,
      summary: doubts[0]!,
      problems: doubts,
      advice: cropped ? ADVICE.cropped : ADVICE.busy,
      metrics,
    };
  }
  return {
    verdict: 'good',
    method,
    summary: 'The product is cleanly separated from its background.',
    problems: [],
    metrics,
  };
}
