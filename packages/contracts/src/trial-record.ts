import { z } from 'zod';
import { idSchema } from './ids.js';
import { trialConfigSchema } from './job-payloads.js';

/** The record's schema version: a reader refuses a record of another version (TrialRecordVersionError). */
export const TRIAL_RECORD_VERSION = 1;

/**
 * Where a trial stands, as the process running it records it:
 * - `running`: an attempt is training it (the attempt's `writer` owns the record);
 * - `delayed`: it waits for its dataset (no attempt used);
 * - `retrying`: an attempt failed and BullMQ will try again (`reason` says why);
 * - `waiting`: handed back to the queue (a worker shutting down, `mtl retry`);
 * - `completed`, `stopped` (by the sweep's scheduler), `failed` (for good), `cancelled` (by `mtl cancel`).
 */
export const TRIAL_RECORD_STATUSES = [
  'running',
  'delayed',
  'retrying',
  'waiting',
  'completed',
  'stopped',
  'failed',
  'cancelled',
] as const;
export type TrialRecordStatus = (typeof TRIAL_RECORD_STATUSES)[number];

/** Statuses no attempt leaves: the trial has ended. */
export const ENDED_STATUSES: ReadonlySet<TrialRecordStatus> = new Set([
  'completed',
  'stopped',
  'failed',
  'cancelled',
]);

const metricsSchema = z.record(z.string(), z.number());

/** One training epoch of a trial: its train and validation metrics (@repo/model's HistoryEntry). */
export const epochRecordSchema = z.strictObject({
  epoch: z.int().min(1),
  train: metricsSchema,
  val: metricsSchema,
  /** Each head's loss weight at the end of the epoch. */
  lossWeights: metricsSchema.optional(),
  /** Cosine similarity of each pair of heads' gradients on the shared backbone after the epoch. */
  taskConflict: metricsSchema.optional(),
});
export type EpochRecord = z.output<typeof epochRecordSchema>;
/** Metrics of one epoch by name (e.g. `loss`, `shape_acc`). */
export type EpochMetrics = Record<string, number>;

/** How the trial's last attempt ended well: what its job returns (without the ids, which the record has). */
export const trialResultSchema = z.strictObject({
  /** `run.json`, relative to ARTIFACTS_DIR. */
  runFile: z.string(),
  epochs: z.int().min(0),
  bestEpoch: z.int().min(0),
  stoppedEarly: z.boolean(),
  /** Epochs a checkpoint already held when the last attempt started (a resumed trial has > 0). */
  resumedEpochs: z.int().min(0),
  /** Headline test-split metrics (e.g. shape_acc, colour_acc, position_mae_px); empty for a stopped trial. */
  test: metricsSchema,
  /** Wall time of the last attempt, from job start to the recorded trial directory. */
  durationMs: z.number().min(0),
  /** Of which training and fine-tuning (the rest: loading data, building, evaluating, recording). */
  trainMs: z.number().min(0),
  /** CPU time (user + system) the sandboxed process spent on this attempt. */
  cpuMs: z.number().min(0),
  /** Peak resident memory of the sandboxed process that trained it (maxRSS), MiB. */
  peakRssMiB: z.number().min(0),
});
export type TrialResult = z.output<typeof trialResultSchema>;

/**
 * Everything about a trial but its curve: small, so status readers, the reporter and TPE read it for
 * every trial of a sweep in one pipelined call.
 */
export const trialRecordStateSchema = z.strictObject({
  version: z.literal(TRIAL_RECORD_VERSION),
  sweepId: idSchema,
  trialId: idSchema,
  /** The BullMQ job that runs it: its run id. */
  jobId: z.string(),
  datasetId: z.string(),
  config: trialConfigSchema,
  seed: z.int().min(0),
  status: z.enum(TRIAL_RECORD_STATUSES),
  /** Attempts started (an attempt that waits for its dataset is not one). */
  attempts: z.int().min(0),
  /** `host/pid` of the process whose attempt owns the record, once one started. */
  writer: z.string().optional(),
  updatedAt: z.string(),
  /** The latest epoch reported, either phase. */
  progress: z
    .strictObject({
      phase: z.enum(['train', 'fine-tune']),
      epoch: z.int().min(1),
      epochs: z.int().min(1),
      val: metricsSchema,
    })
    .optional(),
  /** Best value of the sweep's objective metric over the training epochs so far. */
  objective: z.number().optional(),
  /** The sweep scheduler's decision, once it stopped the trial. */
  decision: z
    .strictObject({ action: z.literal('stop'), epoch: z.int().min(1), reason: z.string() })
    .optional(),
  result: trialResultSchema.optional(),
  /** Why it failed, is retrying, waits, or was stopped or cancelled. */
  reason: z.string().optional(),
});
export type TrialRecordState = z.output<typeof trialRecordStateSchema>;

/** One trial's whole state, the one source of truth for it (see TrialRecordStore): its state and curve. */
export const trialRecordSchema = trialRecordStateSchema.extend({
  /** Its training epochs 1, 2, … (resumed ones included), cut at the first missing epoch. */
  curve: z.array(epochRecordSchema),
});
export type TrialRecord = z.output<typeof trialRecordSchema>;

/** What names a trial and what it was planned with: the fields a record starts from. */
export type TrialIdentity = Pick<
  TrialRecordState,
  'sweepId' | 'trialId' | 'jobId' | 'datasetId' | 'config' | 'seed'
>;

/** Return value of a trial job that ended well: the record's result with its ids. */
export const trialSummarySchema = z.strictObject({
  sweepId: idSchema,
  trialId: idSchema,
  ...trialResultSchema.shape,
  /** Set when the sweep's scheduler stopped the trial (the reason); `test` is then empty. */
  stoppedByScheduler: z.string().optional(),
});
export type TrialSummary = z.output<typeof trialSummarySchema>;

/** The job's return value of a trial that ended well. */
export function summaryOf(state: TrialRecordState): TrialSummary | undefined {
  if (state.result === undefined) return undefined;
  return {
    sweepId: state.sweepId,
    trialId: state.trialId,
    ...state.result,
    ...(state.decision ? { stoppedByScheduler: state.decision.reason } : {}),
  };
}
