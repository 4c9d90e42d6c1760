import { z } from 'zod';

const headWeight = z.number().min(0).finite();

/** Weight of each head's loss in the total loss. At least one is above 0. */
export const lossWeightsSchema = z
  .strictObject({
    /** Weight of the position MAE. Default 1. */
    position: headWeight.default(1),
    /** Weight of the shape cross-entropy. Default 1. */
    shape: headWeight.default(1),
    /** Weight of the colour cross-entropy. Default 1. */
    colour: headWeight.default(1),
  })
  .refine((w) => w.position + w.shape + w.colour > 0, 'all weights are 0: at least one head must count');

/** The kinds of `lossWeighting`, for messages. */
export const LOSS_WEIGHTING_KINDS = ['static', 'uncertainty', 'dwa', 'gradnorm'] as const;
export type LossWeightingKind = (typeof LOSS_WEIGHTING_KINDS)[number];

/**
 * How the heads' losses make the total loss.
 * - `static`: fixed weights (the study's: 1 each).
 * - `uncertainty`: Kendall, Gal & Cipolla (CVPR 2018): a learned log-variance s per head,
 *   total Σ exp(−s)·L + s; the effective weight is exp(−s), trained with the model from s = 0.
 * - `dwa`: Dynamic Weight Average (Liu, Johns & Davison, CVPR 2019): weight K·softmax(r / T) of each
 *   head's ratio r of its last two epochs' mean training losses; 1 each for the first two epochs.
 * - `gradnorm`: GradNorm (Chen et al., ICML 2018): learned weights (sum K) that balance the heads'
 *   gradient norms on the last shared layer against their relative training rates to the power alpha.
 */
export const lossWeightingSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('static'),
      /** Default 1 each. */
      weights: lossWeightsSchema.default({ position: 1, shape: 1, colour: 1 }),
    }),
    z.strictObject({ kind: z.literal('uncertainty') }),
    z.strictObject({
      kind: z.literal('dwa'),
      /** Softmax temperature T (> 0); larger is more even. Default 2 (the paper's). */
      temperature: z.number().gt(0, 'must be > 0').finite().default(2),
    }),
    z.strictObject({
      kind: z.literal('gradnorm'),
      /** Restoring force towards balanced training rates (≥ 0; 0 equalises gradient norms). Default 1.5. */
      alpha: z.number().min(0, 'must be ≥ 0').finite().default(1.5),
    }),
  ],
  { error: () => `unknown kind; allowed: ${LOSS_WEIGHTING_KINDS.join(', ')}` },
);

export type LossWeights = z.output<typeof lossWeightsSchema>;
export type LossWeighting = z.output<typeof lossWeightingSchema>;
export type LossWeightingInput = z.input<typeof lossWeightingSchema>;

/** Today's behaviour: every head's loss counts once. */
export const DEFAULT_LOSS_WEIGHTING: LossWeighting = {
  kind: 'static',
  weights: { position: 1, shape: 1, colour: 1 },
};
