import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  ArtifactLayout,
  createLogger,
  ENDED_STATUSES,
  failureReason,
  PayloadError,
  parsePayload,
  SweepCancelledError,
  type TrialIdentity,
  type TrialJob,
  TrialRecordFencedError,
  type TrialRecordStatus,
  type TrialRecordWriter,
  type TrialSummary,
  trialJobSchema,
} from '@repo/contracts';
import { DatasetFileError, FileWriteError } from '@repo/dataset';
import { InvalidRunRecordError, MetricsInputError } from '@repo/metrics';
import {
  ArchitectureSizeError,
  type BackendName,
  backendThreads,
  initBackend,
  parseTrialConfig,
  TrainingAbortedError,
  TrialConfigError,
  UnknownArchitectureError,
} from '@repo/model';
import { DelayedError, type SandboxedJob, UnrecoverableError, WaitingError } from 'bullmq';
import { AttemptClock } from './attempt-clock.js';
import { DatasetGeneration } from './dataset-generation.js';
import { readTrainerEnv } from './env.js';
import { DatasetNotReadyError, TrialLeaseLostError, TrialStoppedError } from './errors.js';
import { LEASE_LOST } from './lease-watchdog.js';
import { guardAgainstOrphaning } from './orphan-guard.js';
import { recordStoppedTrial } from './stopped-trial.js';
import { SweepControls } from './sweep-controls.js';
import { runSweepTrial } from './sweep-trial.js';
import { Throttle } from './throttle.js';
import { TrialLease } from './trial-lease.js';

// This module runs in the sandboxed child process that BullMQ forks; it lives as long as the child.
const env = readTrainerEnv();
const checkOrphaned = guardAgainstOrphaning();
const logger = createLogger('mtl-trainer', env.LOG_LEVEL).child({ sandbox: true });
const layout = new ArtifactLayout(env.ARTIFACTS_DIR);
// Who writes this trial's checkpoints and record: this sandbox.
const WRITER = `${hostname()}/${process.pid}`;
// One line per outage and client, not a stack per reconnection attempt.
const onRedisError = (client: string) => (error: Error) =>
  logger.warn(
    { client, err: { message: error.message, code: (error as NodeJS.ErrnoException).code } },
    'sandbox: Redis connection lost; retrying',
  );
const generation = new DatasetGeneration(env.REDIS_URL, env.QUEUE_PREFIX, onRedisError('dataset-generation'));
const controls = new SweepControls(env.REDIS_URL, env.QUEUE_PREFIX, onRedisError('sweep-controls'));
const lease = new TrialLease(
  env.REDIS_URL,
  env.QUEUE_PREFIX,
  env.LOCK_DURATION_MS,
  onRedisError('trial-lease'),
);
// A trial waiting for its dataset is taken again every DATASET_POLL_MS: its wait is logged once a minute.
const datasetWaits = new Throttle(60_000);
// At load, so the worker's warm-up (which waits for this module) leaves a child ready to train; a
// backend that cannot start fails each trial with its reason.
const backend: { name: BackendName } | { error: unknown } = await initBackend(env.MTL_BACKEND, {
  threads: env.TRAINER_THREADS,
}).then(
  (name) => ({ name }),
  (error: unknown) => ({ error }),
);
if ('error' in backend) logger.error({ err: backend.error }, 'sandbox: no TF.js backend; trials will fail');
else logger.info({ backend: backend.name, threads: backendThreads() }, 'sandbox ready');

/** Failures that a retry would only repeat: the trial fails at once, with the reason. */
const DETERMINISTIC = [
  PayloadError,
  TrialConfigError,
  UnknownArchitectureError,
  ArchitectureSizeError,
  MetricsInputError,
  InvalidRunRecordError,
];

/** Trains one trial (see `runSweepTrial`) and maps its outcome onto BullMQ's job states. */
export default async function processTrial(
  job: SandboxedJob<unknown, TrialSummary>,
  token?: string,
  signal?: AbortSignal,
): Promise<TrialSummary> {
  const log = logger.child({ jobId: job.id });
  let trial: TrialJob | undefined;
  let record: TrialRecordWriter | undefined;
  try {
    if ('error' in backend) throw backend.error;
    // The edge where a job is taken: its payload and trial config are validated here, once.
    trial = parsePayload(trialJobSchema, job.data, `job ${job.id}`);
    const setup = parseTrialConfig(trial.config, { imageSize: trial.dataset.imageSize, seed: trial.seed });
    await controls.checkCancelled(trial.sweepId);
    const attempt = new AttemptClock();
    const confirmLease = () => lease.confirm(job.id, token ?? '', signal);
    const taken = trial;
    let summary: TrialSummary;
    try {
      summary = await runSweepTrial(taken, setup, {
        layout,
        jobId: job.id,
        backend: backend.name,
        attempt,
        signal,
        checkOrphaned,
        confirmLease,
        writer: WRITER,
        startRecord: async () => {
          record = await controls.records().startAttempt(identityOf(taken, job.id), WRITER, {
            beforeWrite: confirmLease,
          });
          return record;
        },
        onProgress: async (progress, trialRecord) => {
          await job.updateProgress(progress);
          await controls.afterEpoch(taken, progress, trialRecord);
        },
        log,
      });
    } catch (error) {
      if (!(error instanceof TrialStoppedError) || record === undefined) throw error;
      log.info({ epoch: error.epoch, reason: error.reason }, 'stopped by the sweep scheduler');
      summary = await recordStoppedTrial({
        trial: taken,
        layout,
        jobId: job.id,
        backend: backend.name,
        attempt,
        stop: error,
        record,
        confirmLease,
      });
    }
    // Before this job completes, so the sweep's report keeps waiting for what it adds.
    const added = await controls.afterTrial(taken);
    if (added.length > 0) log.info({ added }, 'tpe: added the next trials');
    return summary;
  } catch (error) {
    const settle = (status: TrialRecordStatus, reason: string) =>
      settleRecord({ trial, record, jobId: job.id, status, reason, log });
    if (error instanceof SweepCancelledError) {
      // Fails for good with a reason status readers and the reporter recognise (failureCode); the checkpoint stays.
      await settle('cancelled', failureReason(error));
      throw new UnrecoverableError(failureReason(error));
    }
    if (error instanceof DatasetNotReadyError) {
      const outcome = await generation.outcome(error.datasetId).catch(() => undefined);
      const failure = (reason: string) => settle('failed', reason).then(() => new UnrecoverableError(reason));
      if (outcome === 'completed' && !existsSync(error.manifestFile)) {
        // Generated once, then removed (or this worker has another ARTIFACTS_DIR): no generator will write it again.
        throw await failure(
          `dataset ${error.datasetId} was generated, but ${error.manifestFile} is gone; ${repairHint(job.data)}`,
        );
      }
      if (outcome !== undefined && outcome !== 'completed') {
        throw await failure(`dataset ${error.datasetId} could not be generated: ${outcome}`);
      }
      const waited = Date.now() - job.timestamp;
      if (waited > env.DATASET_WAIT_TIMEOUT_MS) {
        throw await failure(
          `${error.message} after ${Math.round(waited / 60_000)} min: is a generator worker running?`,
        );
      }
      await settle('delayed', `waiting for dataset ${error.datasetId}`);
      // Not an attempt: the trial sleeps in the delayed set and costs no CPU while it waits.
      if (datasetWaits.due(job.id)) {
        log.info(
          { datasetId: error.datasetId, waitedS: Math.round(waited / 1000) },
          'waiting for its dataset',
        );
      }
      await job.moveToDelayed(Date.now() + env.DATASET_POLL_MS, token);
      throw new DelayedError();
    }
    if (
      error instanceof TrialLeaseLostError ||
      error instanceof TrialRecordFencedError ||
      leaseLost(error, signal)
    ) {
      // Another worker may own the trial now: this attempt ends here, and the job's state is not ours to change.
      const completedEpochs = error instanceof TrainingAbortedError ? error.completedEpochs : undefined;
      log.warn({ err: error, completedEpochs }, 'trial lease lost; stopped without writing');
      throw error instanceof TrialLeaseLostError ? error : new TrialLeaseLostError(job.id);
    }
    if (error instanceof TrainingAbortedError) {
      log.info({ completedEpochs: error.completedEpochs }, 'handing the trial back (worker shutting down)');
      await settle('waiting', 'handed back: its worker shut down');
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (error instanceof FileWriteError && (error.errno === 'ENOSPC' || error.errno === 'EDQUOT')) {
      // A full disk stays full for a retry in seconds: fail with the reason; the last good checkpoint stays.
      const reason = `${failureReason(error)}; free space, then ${retryHint(job.data)}`;
      await settle('failed', reason);
      throw new UnrecoverableError(reason);
    }
    if (error instanceof DatasetFileError) {
      const reason = `${failureReason(error)}; ${repairHint(job.data)}`;
      await settle('failed', reason);
      throw new UnrecoverableError(reason);
    }
    if (DETERMINISTIC.some((kind) => error instanceof kind)) {
      // A plain UnrecoverableError: its name must survive the trip to the worker process.
      await settle('failed', failureReason(error as Error));
      throw new UnrecoverableError(failureReason(error as Error));
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await settle(
      lastAttempt ? 'failed' : 'retrying',
      error instanceof Error ? failureReason(error) : String(error),
    );
    throw error;
  }
}

/** The fields a trial's record starts from. */
function identityOf(trial: TrialJob, jobId: string): TrialIdentity {
  const { sweepId, trialId, datasetId, config, seed } = trial;
  return { sweepId, trialId, jobId, datasetId, config, seed };
}

/**
 * Puts how an attempt ended on the trial's record: through the attempt's writer once it started
 * (fenced: an attempt that lost the trial writes nothing), else as a status change that never
 * overwrites a running or ended record. A record that cannot be written (Redis down, fenced) is
 * logged; the job's own failure still reaches BullMQ.
 */
async function settleRecord(outcome: {
  trial: TrialJob | undefined;
  record: TrialRecordWriter | undefined;
  jobId: string;
  status: TrialRecordStatus;
  reason: string;
  log: typeof logger;
}): Promise<void> {
  const { trial, record, status, reason } = outcome;
  if (trial === undefined) return; // a payload that did not parse names no trial
  try {
    if (record) await record.write({ status, reason });
    else
      await controls.records().setStatus(identityOf(trial, outcome.jobId), status, {
        reason,
        unless: (current) => current.status === 'running' || ENDED_STATUSES.has(current.status),
      });
  } catch (error) {
    outcome.log.warn({ err: error, status }, 'could not record how the attempt ended');
  }
}

/** Training aborted because the worker found the trial's job lock lapsed (see lease-watchdog). */
function leaseLost(error: unknown, signal: AbortSignal | undefined): boolean {
  return error instanceof TrainingAbortedError && signal?.reason === LEASE_LOST;
}

/** How to get a trial whose dataset is damaged or gone going again. */
function repairHint(data: unknown): string {
  const trial = trialJobSchema.safeParse(data);
  return trial.success
    ? `repair it with mtl dataset repair ${trial.data.datasetId}, then mtl retry ${trial.data.sweepId} --failed`
    : 'repair it with mtl dataset repair ID, then mtl retry SWEEP --failed';
}

function retryHint(data: unknown): string {
  const trial = trialJobSchema.safeParse(data);
  return `mtl retry ${trial.success ? trial.data.sweepId : 'SWEEP'} --failed`;
}
