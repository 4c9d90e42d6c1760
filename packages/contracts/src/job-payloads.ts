import { datasetSpecSchema, SPLITS } from '@repo/dataset/spec';
import { z } from 'zod';
import { idSchema } from './ids.js';

/** Job names inside the queues of QUEUES. */
export const JOB_NAMES = {
  shard: 'shard',
  manifest: 'manifest',
  trial: 'trial',
  report: 'report',
} as const;

const datasetIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a dataset id (hex sha256)');

/** `generate` queue, name `shard`: write one shard of a dataset. */
export const shardJobSchema = z.strictObject({
  datasetId: datasetIdSchema,
  spec: datasetSpecSchema,
  split: z.enum(SPLITS),
  shardIndex: z.int().min(0),
});
export type ShardJob = z.output<typeof shardJobSchema>;

/** `generate` queue, name `manifest`: the parent of a dataset's shards; writes `manifest.json`. */
export const manifestJobSchema = z.strictObject({
  datasetId: datasetIdSchema,
  spec: datasetSpecSchema,
});
export type ManifestJob = z.output<typeof manifestJobSchema>;

/**
 * Hyperparameters of one trial: generic JSON, flat. `arch` names the architecture; the trainer maps
 * the architecture options (e.g. `widthMultiplier`, `dropout`) and the training options (e.g.
 * `learningRate`, `batchSize`, `epochs`) onto the model package's schemas and fails the trial when
 * a key is unknown or a value invalid.
 */
export const trialConfigSchema = z.object({ arch: z.string().min(1) }).catchall(z.json());
export type TrialConfig = z.output<typeof trialConfigSchema>;

/** One trial of a sweep: its id, hyperparameters and seed (initialisation, shuffles, dropout). */
export const trialSpecSchema = z.strictObject({
  trialId: idSchema,
  config: trialConfigSchema,
  seed: z.int().min(0).max(0xffff_ffff),
});
export type TrialSpec = z.output<typeof trialSpecSchema>;

/** `train` queue, name `trial`: train, evaluate and record one trial. */
export const trialJobSchema = z.strictObject({
  sweepId: idSchema,
  datasetId: datasetIdSchema,
  dataset: datasetSpecSchema,
  ...trialSpecSchema.shape,
});
export type TrialJob = z.output<typeof trialJobSchema>;

const metricsSchema = z.record(z.string(), z.number());

/** Progress of a trial job (`job.updateProgress`), once per epoch of each phase. */
export const trialProgressSchema = z.strictObject({
  /** `train`, then `fine-tune` when the config asks for it (its epochs count from 1 again). */
  phase: z.enum(['train', 'fine-tune']),
  epoch: z.int().min(1),
  epochs: z.int().min(1),
  bestEpoch: z.int().min(0),
  /** Learning rate the epoch ran at (it can drop on plateaus). */
  learningRate: z.number().optional(),
  train: metricsSchema,
  val: metricsSchema,
});
export type TrialProgress = z.output<typeof trialProgressSchema>;

/** `report` queue, name `report`: the parent of a sweep's trials; aggregates them when all have ended. */
export const reportJobSchema = z.strictObject({
  sweepId: idSchema,
  name: z.string(),
  datasetId: datasetIdSchema,
  trialIds: z.array(idSchema),
});
export type ReportJob = z.output<typeof reportJobSchema>;
