export { ArtifactLayout } from './artifact-layout.js';
export {
  failureCode,
  failureReason,
  PayloadError,
  parsePayload,
  SweepCancelledError,
  SweepConflictError,
} from './errors.js';
export { fileExists } from './file-exists.js';
export { datasetJobId, type Id, idSchema, reportJobId, shardJobId, trialJobId } from './ids.js';
export { JOB_OPTIONS } from './job-options.js';
export {
  JOB_NAMES,
  type ManifestJob,
  manifestJobSchema,
  type ReportJob,
  reportJobSchema,
  type ShardJob,
  shardJobSchema,
  type TrialConfig,
  type TrialJob,
  type TrialProgress,
  type TrialSpec,
  trialConfigSchema,
  trialJobSchema,
  trialProgressSchema,
  trialSpecSchema,
} from './job-payloads.js';
export { freeLoopbackPort, type LocalRedis, redisAnswers, startLocalRedis } from './local-redis.js';
export {
  type CancelledSweep,
  type EnqueuedDataset,
  type EnqueuedSweep,
  type ExtendedSweep,
  PipelineProducer,
  type PipelineProducerOptions,
  type RetriedSweep,
} from './pipeline-producer.js';
export { QUEUES, type QueueName } from './queue-names.js';
export {
  CLI_CONNECT_TIMEOUT_MS,
  connectFastFail,
  createRedis,
  type RedisConnectionOptions,
  RedisUnreachableError,
  redactRedisUrl,
  WEB_COMMAND_TIMEOUT_MS,
  waitForRedis,
} from './redis-connection.js';
export { redisUrlProblem, redisUrlSchema } from './redis-url.js';
export { RungValues } from './rung-values.js';
export { describeMissing, type MissingArtifacts, missingArtifacts } from './sweep-artifacts.js';
export { SweepBusyError } from './sweep-busy-error.js';
export {
  DEFAULT_OBJECTIVE,
  type SweepObjective,
  type SweepPlan,
  type SweepPlanInput,
  type SweepScheduler,
  sweepObjectiveSchema,
  sweepPlanSchema,
  sweepSchedulerSchema,
} from './sweep-plan.js';
export { DEFAULT_QUEUE_PREFIX, type SweepInfo, SweepRegistry, type SweepSpecJson } from './sweep-registry.js';
export {
  type SweepState,
  type SweepStatus,
  SweepStatusReader,
  type SweepSummary,
  type TrialCounts,
  type TrialState,
  type TrialStatus,
} from './sweep-status.js';
export { TpeProgress } from './tpe-progress.js';
export { bestObjective } from './trial-objective.js';
export {
  ENDED_STATUSES,
  type EpochMetrics,
  type EpochRecord,
  epochRecordSchema,
  summaryOf,
  TRIAL_RECORD_STATUSES,
  TRIAL_RECORD_VERSION,
  type TrialIdentity,
  type TrialRecord,
  type TrialRecordState,
  type TrialRecordStatus,
  type TrialResult,
  type TrialSummary,
  trialRecordSchema,
  trialRecordStateSchema,
  trialResultSchema,
  trialSummarySchema,
} from './trial-record.js';
export { TrialRecordFencedError } from './trial-record-fenced-error.js';
export {
  parseRecord as parseTrialRecord,
  TrialRecordStore,
  TrialRecordWriter,
} from './trial-record-store.js';
export { TrialRecordVersionError } from './trial-record-version-error.js';
export { EnvError, envVariable, parseEnv, type WorkerEnv, workerEnvSchema } from './worker-env.js';
export {
  closeOnSignals,
  connectWorkerRedis,
  createLogger,
  runWorkerApp,
  type WorkerAppContext,
} from './worker-runtime.js';
