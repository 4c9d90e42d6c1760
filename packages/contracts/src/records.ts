/**
 * `@repo/contracts/records`: what reads sweeps and trials, without BullMQ (it costs `mtl ls` and
 * `mtl status` about 0.2 s of start-up): the trial record and its store, the sweep registry, the
 * status reader (which loads BullMQ only when it must ask a queue), the artifact layout and the
 * CLI's connection. `records-entry.test.ts` checks in a fresh process that BullMQ stays unloaded.
 */
export { ArtifactLayout } from './artifact-layout.js';
export { fileExists } from './file-exists.js';
export { idSchema } from './ids.js';
export { CLI_CONNECT_TIMEOUT_MS, connectFastFail, RedisUnreachableError } from './redis-connection.js';
export { DEFAULT_OBJECTIVE, type SweepObjective } from './sweep-plan.js';
export { DEFAULT_QUEUE_PREFIX, type SweepInfo, SweepRegistry } from './sweep-registry.js';
export {
  type SweepState,
  type SweepStatus,
  SweepStatusReader,
  type SweepSummary,
  type TrialCounts,
  type TrialState,
  type TrialStatus,
} from './sweep-status.js';
export {
  ENDED_STATUSES,
  type EpochRecord,
  summaryOf,
  type TrialRecord,
  type TrialRecordState,
  type TrialSummary,
  trialSummarySchema,
} from './trial-record.js';
export { TrialRecordStore } from './trial-record-store.js';
