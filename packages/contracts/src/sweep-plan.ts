import { datasetSpecSchema } from '@repo/dataset/spec';
import { z } from 'zod';
import { idSchema } from './ids.js';
import { trialSpecSchema } from './job-payloads.js';

const metricSchema = z.string().regex(/^val_[a-z_]+$/, 'a validation metric, e.g. val_combined');
const directionSchema = z.enum(['minimize', 'maximize']);

/** Plans registered before `direction` replaced `mode: min|max` still read (their sweeps stay listed). */
const LEGACY_MODES: Readonly<Record<string, string>> = { min: 'minimize', max: 'maximize' };
function withDirection(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('mode' in value)) return value;
  const { mode, ...rest } = value as Record<string, unknown>;
  return { ...rest, direction: LEGACY_MODES[String(mode)] ?? mode };
}

/** What ranks a sweep's trials: a validation metric's best value over a trial's epochs. */
export const sweepObjectiveSchema = z.preprocess(
  withDirection,
  z.strictObject({ metric: metricSchema, direction: directionSchema }),
);
export type SweepObjective = z.output<typeof sweepObjectiveSchema>;

/** The objective of a plan that names none: @repo/metrics' combined score on validation. */
export const DEFAULT_OBJECTIVE: SweepObjective = { metric: 'val_combined', direction: 'minimize' };

/**
 * Early stopping across trials, applied by the trainers after each epoch (the shape of @repo/sweep's
 * resolved SchedulerSpec; the decision functions live there).
 */
export const sweepSchedulerSchema = z.preprocess(
  withDirection,
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('asha'),
      metric: metricSchema,
      direction: directionSchema,
      reductionFactor: z.int().min(2),
      gracePeriod: z.int().min(1),
      milestones: z.array(z.int().min(1)).min(1).readonly().optional(),
    }),
    z.strictObject({
      kind: z.literal('median'),
      metric: metricSchema,
      direction: directionSchema,
      gracePeriod: z.int().min(1),
      minTrials: z.int().min(1),
    }),
  ]),
);
export type SweepScheduler = z.output<typeof sweepSchedulerSchema>;

/** A sweep ready to enqueue: its dataset and its trials, each a config and a seed. */
export const sweepPlanSchema = z.strictObject({
  sweepId: idSchema,
  /** Human name for listings. Default: the sweep id. */
  name: z.string().max(200).optional(),
  /** The dataset every trial trains on (generated once, shared by sweeps with the same spec). */
  dataset: datasetSpecSchema,
  /** What ranks trials (status, best objective, TPE). Default `DEFAULT_OBJECTIVE`. */
  objective: sweepObjectiveSchema.optional(),
  /** Early stopping across trials. Default: none (each trial runs to its own early stopping). */
  scheduler: sweepSchedulerSchema.optional(),
  /**
   * A model-based (TPE) search: `trials` holds its start-up trials, and trainers add the next
   * configurations as results arrive, from this validated @repo/sweep SweepSpec (plain JSON).
   */
  tpe: z.strictObject({ spec: z.record(z.string(), z.json()) }).optional(),
  trials: z
    .array(trialSpecSchema)
    .min(1)
    .superRefine((trials, ctx) => {
      const seen = new Set<string>();
      for (const [index, trial] of trials.entries()) {
        if (seen.has(trial.trialId)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'trialId'],
            message: `duplicate trial id ${trial.trialId}`,
          });
        }
        seen.add(trial.trialId);
      }
    }),
});
export type SweepPlan = z.output<typeof sweepPlanSchema>;
export type SweepPlanInput = z.input<typeof sweepPlanSchema>;
