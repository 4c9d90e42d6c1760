import { z } from 'zod';

/**
 * Ids become directory names and BullMQ job ids: letters, digits, `-` and `_` only, so no id can
 * climb out of the artifact tree and none holds BullMQ's `:` key separator. Job ids join ids with
 * `.`, which no id holds, so sweep `a-b` trial `c` and sweep `a` trial `b-c` never collide.
 */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, "-" and "_" only');

export type Id = z.infer<typeof idSchema>;

/** Job id of one shard: the same shard of the same dataset is generated once. */
export function shardJobId(datasetId: string, split: string, shardIndex: number): string {
  return `${datasetId}.${split}.${shardIndex}`;
}

/** Job id of a dataset's finalising job. */
export function datasetJobId(datasetId: string): string {
  return `${datasetId}.manifest`;
}

/** Job id of one trial: enqueuing a sweep twice creates no duplicate trials. */
export function trialJobId(sweepId: string, trialId: string): string {
  return `${sweepId}.${trialId}`;
}

/** Job id of a sweep's report job. */
export function reportJobId(sweepId: string): string {
  return `${sweepId}.report`;
}
