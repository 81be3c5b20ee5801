import { z } from 'zod';

/**
 * How trustworthy a product cutout is, said before anything is paid for. The activity that cuts
 * the product out of a photo measures it; the plan review and `npm run cutout` show it.
 */
export const CUTOUT_VERDICTS = ['good', 'doubtful', 'refused'] as const;
export type CutoutVerdict = (typeof CUTOUT_VERDICTS)[number];

export const CutoutMetricsSchema = z.object({
  /** Share of the product's pixels the model is sure about (0..1): low means a fuzzy, unsure edge. */
  certainty: z.number(),
  /** Share of the photo the product covers (0..1). */
  productShare: z.number(),
  /** Share of the photo's edge that the product touches (0..1): it is cut off by the frame. */
  borderTouch: z.number(),
  /** Separate pieces in the cutout (1 for one product in one piece). */
  pieces: z.number(),
  /**
   * Overlap (IoU) with a second, model-free method where that method applies (a plain backdrop
   * it can flood from the edges); absent on busy backgrounds, where it cannot tell anything.
   */
  agreement: z.number().optional(),
  /** Overlap (IoU) of the masks of the two segmentation networks (U²-Net and U²-Netp). */
  modelAgreement: z.number().optional(),
  /** The strongest saliency the model saw anywhere (0..1): low means nothing stands out. */
  peak: z.number(),
});
export type CutoutMetrics = z.infer<typeof CutoutMetricsSchema>;

export const CutoutQualitySchema = z.object({
  verdict: z.enum(CUTOUT_VERDICTS),
  /** How the cutout was made: the segmentation model, or a transparent PNG kept as uploaded. */
  method: z.enum(['model', 'alpha-kept']),
  /** One sentence for a person: what looks wrong, or that it looks right. */
  summary: z.string(),
  /** Each problem found, in plain words (empty when the cutout looks right). */
  problems: z.array(z.string()),
  /** What photo would work better (absent when the cutout looks right). */
  advice: z.string().optional(),
  metrics: CutoutMetricsSchema,
});
export type CutoutQuality = z.infer<typeof CutoutQualitySchema>;

/**
 * A hint from a person to redo a cutout: taps on what to keep and what to drop, and a box around
 * the product. Coordinates are fractions (0..1) of the photo's width and height.
 */
const PointSchema = z.object({ x: z.number(), y: z.number() });
export const CutoutHintsSchema = z.object({
  keep: z.array(PointSchema).optional(),
  drop: z.array(PointSchema).optional(),
  box: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }).optional(),
});
export type CutoutHints = z.infer<typeof CutoutHintsSchema>;
