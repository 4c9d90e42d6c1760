import { datasetSpecSchema } from '@repo/dataset';
import { z } from 'zod';
import { idSchema } from './ids.js';
import { trialSpecSchema } from './job-payloads.js';

/** A sweep ready to enqueue: its dataset and its trials, each a config and a seed. */
export const sweepPlanSchema = z.strictObject({
  sweepId: idSchema,
  /** Human name for listings. Default: the sweep id. */
  name: z.string().max(200).optional(),
  /** The dataset every trial trains on (generated once, shared by sweeps with the same spec). */
  dataset: datasetSpecSchema,
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
