import { type DatasetSpecInput, datasetId, datasetSpecSchema, SPLITS, shardCount } from '@repo/dataset/spec';
import { FlowProducer, type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import stringify from 'safe-stable-stringify';
import { failureCode, parsePayload, SweepCancelledError, SweepConflictError } from './errors.js';
import { datasetJobId, reportJobId, shardJobId, trialJobId } from './ids.js';
import { JOB_OPTIONS } from './job-options.js';
import {
  JOB_NAMES,
  type ManifestJob,
  type ReportJob,
  type ShardJob,
  type TrialJob,
  type TrialSpec,
  trialJobSchema,
  trialSpecSchema,
} from './job-payloads.js';
import { QUEUES, type QueueName } from './queue-names.js';
import { SweepBusyError } from './sweep-busy-error.js';
import { type SweepPlanInput, sweepPlanSchema } from './sweep-plan.js';
import { DEFAULT_QUEUE_PREFIX, type SweepInfo, SweepRegistry, type SweepSpecJson } from './sweep-registry.js';
import { TrialRecordStore } from './trial-record-store.js';

export interface PipelineProducerOptions {
  /** BullMQ key prefix; producers and workers must agree. Default `mtl`. */
  prefix?: string;
  /** Connection errors of the underlying queues (commands also reject). Default: ignored. */
  onError?: (error: Error) => void;
}

export interface EnqueuedDataset {
  datasetId: string;
  /** Id of the finalising `manifest` job in the `generate` queue. */
  jobId: string;
  shards: number;
  /** False when the dataset was already enqueued (nothing was added). */
  created: boolean;
}

/** What `cancelSweep` did. */
export interface CancelledSweep {
  sweepId: string;
  /** Trials removed before they ran (waiting, delayed or backing off before a retry). */
  removed: string[];
  /** Trials training now: they stop at their next epoch boundary (their checkpoint stays). */
  stopping: string[];
  /** Trials already ended (completed, stopped or failed): kept as they are. */
  ended: string[];
}

/** What `retryFailed` or `resumeCancelled` did. */
export interface RetriedSweep {
  sweepId: string;
  /** Trials moved back to the queue under their own ids, with fresh attempts. */
  retried: string[];
  /** True when the sweep's report had been written: it is written again once the retried trials end. */
  reportReopened: boolean;
}

/** What `extendSweep` did. */
export interface ExtendedSweep {
  sweepId: string;
  /** The trials enqueued, in order. */
  added: string[];
  /** True when the sweep's report had been written: it is written again once the new trials end. */
  reportReopened: boolean;
}

export interface EnqueuedSweep {
  sweepId: string;
  dataset: EnqueuedDataset;
  /** Id of the sweep's `report` job (the flow's parent). */
  reportJobId: string;
  trialJobIds: string[];
  /** False when the sweep was already enqueued (nothing was added). */
  created: boolean;
}

/**
 * The producer side of the pipeline: enqueues datasets (one job per shard under a finalising
 * `manifest` job) and sweeps (one job per trial under the sweep's `report` job). Job ids are
 * deterministic, so enqueuing the same dataset or sweep twice adds nothing.
 */
export class PipelineProducer {
  readonly prefix: string;
  readonly sweeps: SweepRegistry;
  private readonly flows: FlowProducer;
  private readonly records: TrialRecordStore;
  private readonly queues: Record<QueueName, Queue>;
  private closing?: Promise<void>;

  /** `connection` stays the caller's: `close()` does not close it. */
  constructor(connection: Redis, options: PipelineProducerOptions = {}) {
    this.prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
    const onError = options.onError ?? (() => {});
    this.flows = new FlowProducer({ connection, prefix: this.prefix });
    this.records = new TrialRecordStore(connection, this.prefix);
    this.flows.on('error', onError);
    const queue = (name: QueueName) =>
      new Queue(name, { connection, prefix: this.prefix }).on('error', onError);
    this.queues = {
      [QUEUES.generate]: queue(QUEUES.generate),
      [QUEUES.train]: queue(QUEUES.train),
      [QUEUES.report]: queue(QUEUES.report),
    };
    this.sweeps = new SweepRegistry(connection, this.prefix);
  }

  /** The queue `name` under this producer's prefix (for counts, events, inspection). */
  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  /**
   * Enqueues the generation of a dataset: a `manifest` job whose children write one shard each.
   * A dataset whose manifest job exists (pending or done) is not enqueued again; one whose
   * generation failed is removed and enqueued afresh, and so is a generated one with `regenerate`
   * (its files are gone: `mtl sweep --restart` after `rm -rf artifacts`).
   */
  async enqueueDataset(
    specInput: DatasetSpecInput,
    options: { regenerate?: boolean } = {},
  ): Promise<EnqueuedDataset> {
    const spec = parsePayload(datasetSpecSchema, specInput, 'dataset spec');
    const id = datasetId(spec);
    const jobId = datasetJobId(id);
    const shards = SPLITS.flatMap((split) =>
      Array.from(
        { length: shardCount(spec, split) },
        (_, shardIndex): ShardJob => ({
          datasetId: id,
          spec,
          split,
          shardIndex,
        }),
      ),
    );
    const result = { datasetId: id, jobId, shards: shards.length };
    if (
      await this.exists(QUEUES.generate, jobId, { replaceFailed: true, replaceCompleted: options.regenerate })
    )
      return { ...result, created: false };
    const manifest: ManifestJob = { datasetId: id, spec };
    await this.flows.add({
      name: JOB_NAMES.manifest,
      queueName: QUEUES.generate,
      data: manifest,
      opts: { jobId, ...JOB_OPTIONS.manifest },
      children: shards.map((shard) => ({
        name: JOB_NAMES.shard,
        queueName: QUEUES.generate,
        data: shard,
        opts: { jobId: shardJobId(id, shard.split, shard.shardIndex), ...JOB_OPTIONS.shard },
      })),
    });
    return { ...result, created: true };
  }

  /**
   * Enqueues a sweep: its dataset (see `enqueueDataset`), its metadata (see `sweeps`), and a flow
   * whose parent is the sweep's `report` job and whose children are its trials. Trials wait for
   * the dataset on their own; failed trials still let the report run. Enqueuing the same plan again
   * adds nothing; another plan under a sweep id already used throws a SweepConflictError.
   * `regenerateDataset`: see `enqueueDataset`'s `regenerate`. `spec`: the SweepSpec it was planned
   * from, kept for `extendSweep` (a TPE plan's own spec by default).
   */
  async enqueueSweep(
    planInput: SweepPlanInput,
    options: { regenerateDataset?: boolean; spec?: SweepSpecJson } = {},
  ): Promise<EnqueuedSweep> {
    const plan = parsePayload(sweepPlanSchema, planInput, 'sweep plan');
    const dataset = await this.enqueueDataset(plan.dataset, {
      regenerate: options.regenerateDataset ?? false,
    });
    const trialJobIds = plan.trials.map((trial) => trialJobId(plan.sweepId, trial.trialId));
    const result = { sweepId: plan.sweepId, dataset, reportJobId: reportJobId(plan.sweepId), trialJobIds };
    const spec = options.spec ?? plan.tpe?.spec;
    if (!(await this.sweeps.record(plan, dataset.datasetId, spec ? { spec } : {}))) {
      const recorded = await this.sweeps.get(plan.sweepId);
      if (recorded && stringify(recorded.plan) !== stringify(plan))
        throw new SweepConflictError(plan.sweepId);
    }
    if (await this.exists(QUEUES.report, result.reportJobId)) return { ...result, created: false };
    const report: ReportJob = {
      sweepId: plan.sweepId,
      name: plan.name ?? plan.sweepId,
      datasetId: dataset.datasetId,
      trialIds: plan.trials.map((trial) => trial.trialId),
    };
    await this.flows.add({
      name: JOB_NAMES.report,
      queueName: QUEUES.report,
      data: report,
      opts: { jobId: result.reportJobId, ...JOB_OPTIONS.report },
      children: plan.trials.map((trial, i) => {
        const data: TrialJob = {
          sweepId: plan.sweepId,
          datasetId: dataset.datasetId,
          dataset: plan.dataset,
          ...trial,
        };
        return {
          name: JOB_NAMES.trial,
          queueName: QUEUES.train,
          data,
          opts: { jobId: trialJobIds[i], ...JOB_OPTIONS.trial },
        };
      }),
    });
    return { ...result, created: true };
  }

  /**
   * Cancels a sweep: marks it cancelled in the registry first (trainers look before each trial and
   * after each epoch, so none starts or goes on past its epoch), then removes its trials that have
   * not started. Nothing is lost: ended trials and their artifacts stay, and the report job still
   * runs (once the running trials have stopped), listing the cancelled trials. Returns undefined when
   * no sweep has that id; cancelling twice is harmless.
   */
  async cancelSweep(sweepId: string): Promise<CancelledSweep | undefined> {
    if (!(await this.sweeps.markCancelled(sweepId))) return undefined;
    const result: CancelledSweep = { sweepId, removed: [], stopping: [], ended: [] };
    const train = this.queues[QUEUES.train];
    for (const { trialId } of await this.sweeps.trials(sweepId)) {
      const job = await train.getJob(trialJobId(sweepId, trialId));
      const state = await job?.getState();
      if (job === undefined || state === 'unknown') continue;
      if (state === 'completed' || state === 'failed') result.ended.push(trialId);
      else if (state === 'active') result.stopping.push(trialId);
      // A trial taken by a trainer in the meantime is locked and not removed: it stops at its next epoch.
      else if ((await train.remove(job.id as string)) === 1) result.removed.push(trialId);
      else result.stopping.push(trialId);
    }
    return result;
  }

  /**
   * Re-runs a sweep's failed trials under their own ids with fresh attempts (a trial with an epoch
   * checkpoint resumes from it). When the sweep's report was already written, its report job runs
   * again once the retried trials end. Returns undefined when no sweep has that id; throws a
   * SweepCancelledError for a cancelled sweep (`resumeCancelled` runs it again).
   */
  async retryFailed(sweepId: string): Promise<RetriedSweep | undefined> {
    const info = await this.sweeps.get(sweepId);
    if (info === undefined) return undefined;
    if (info.cancelledAt !== undefined)
      throw new SweepCancelledError(sweepId, `; mtl retry ${sweepId} --cancelled runs its unfinished trials`);
    const failed: Job[] = [];
    for (const { trialId } of await this.sweeps.trials(sweepId, info)) {
      const job = await this.queues[QUEUES.train].getJob(trialJobId(sweepId, trialId));
      if (job !== undefined && (await job.getState()) === 'failed') failed.push(job);
    }
    return this.requeue(info, failed, [], 'retried (mtl retry)');
  }

  /**
   * Runs a cancelled sweep again: lifts the cancel, then enqueues each trial the cancel ended (removed
   * before it ran, or stopped: it resumes from its checkpoint) under its own id; finished trials are
   * kept, and a trial still stopping goes on. The report is written again once they end. Returns
   * undefined when no sweep has that id; `retried` is empty when it was not cancelled.
   */
  async resumeCancelled(sweepId: string): Promise<RetriedSweep | undefined> {
    const info = await this.sweeps.get(sweepId);
    if (info === undefined) return undefined;
    if (!(await this.sweeps.clearCancelled(sweepId))) return { sweepId, retried: [], reportReopened: false };
    const stopped: Job[] = [];
    const removed: TrialSpec[] = [];
    for (const trial of await this.sweeps.trials(sweepId, info)) {
      const job = await this.queues[QUEUES.train].getJob(trialJobId(sweepId, trial.trialId));
      if (job === undefined) removed.push(trial);
      else if (
        (await job.getState()) === 'failed' &&
        failureCode(job.failedReason) === SweepCancelledError.code
      )
        stopped.push(job);
    }
    return this.requeue(info, stopped, removed, 'resumed after a cancel (mtl retry --cancelled)');
  }

  /**
   * Grows a sweep (`mtl sweep extend`): records `trials` (planned by @repo/sweep's `planExtension`,
   * ids new to the sweep) and the sweep's grown `spec`, then enqueues the trials as children of its
   * report job; a written report is written again once they end. Finished trials are kept. Returns
   * undefined when no sweep has that id; throws a SweepCancelledError for a cancelled sweep.
   */
  async extendSweep(
    sweepId: string,
    trialsInput: readonly TrialSpec[],
    spec: SweepSpecJson,
  ): Promise<ExtendedSweep | undefined> {
    const info = await this.sweeps.get(sweepId);
    if (info === undefined) return undefined;
    if (info.cancelledAt !== undefined)
      throw new SweepCancelledError(sweepId, `; mtl retry ${sweepId} --cancelled resumes it, then extend it`);
    const trials = trialsInput.map((trial) => parsePayload(trialSpecSchema, trial, `trial of ${sweepId}`));
    const taken = new Set((await this.sweeps.trials(sweepId, info)).map(({ trialId }) => trialId));
    const clash = trials.find(({ trialId }) => taken.has(trialId));
    if (clash)
      throw new SweepConflictError(
        sweepId,
        `sweep ${sweepId} has a trial ${clash.trialId} already: plan the extension again`,
      );
    await this.sweeps.addTrials(sweepId, trials);
    await this.sweeps.setSpec(sweepId, spec);
    const requeued = await this.requeue(info, [], trials, 'added by mtl sweep extend');
    return { sweepId, added: requeued.retried, reportReopened: requeued.reportReopened };
  }

  /**
   * Removes everything Redis holds of a sweep (its report job, its trials' jobs and records, its
   * registry entry), so that enqueuing its plan again runs it from scratch: the way back when its
   * files are gone (`missingArtifacts`). Throws a SweepBusyError, changing nothing, while a trainer
   * holds one of its trials. Returns false when no sweep has that id.
   */
  async forgetSweep(sweepId: string): Promise<boolean> {
    const info = await this.sweeps.get(sweepId);
    if (info === undefined) return false;
    const train = this.queues[QUEUES.train];
    const trialIds = (await this.sweeps.trials(sweepId, info)).map(({ trialId }) => trialId);
    const jobIds = trialIds.map((trialId) => trialJobId(sweepId, trialId));
    const states = await Promise.all(jobIds.map((jobId) => train.getJobState(jobId)));
    const running = trialIds.filter((_, i) => states[i] === 'active');
    if (running.length > 0) throw new SweepBusyError(sweepId, running);
    await this.queues[QUEUES.report].remove(reportJobId(sweepId), { removeChildren: true });
    // Children the report no longer lists (failed ones, with ignoreDependencyOnFailure) go one by one.
    for (const jobId of jobIds) await train.remove(jobId);
    await this.sweeps.forget(sweepId);
    return true;
  }

  /**
   * Puts a sweep's trials back in the queue (`retry`: their failed jobs, with fresh attempts; `add`:
   * trials without a job, as new children of its report job) with their records set waiting with
   * `reason` first, so that a trainer taking one at once is not overwritten; then reopens the report
   * if it had been written: after the trials, so it waits for them.
   */
  private async requeue(
    info: SweepInfo,
    retry: readonly Job[],
    add: readonly TrialSpec[],
    reason: string,
  ): Promise<RetriedSweep> {
    const { sweepId } = info;
    const trials = [
      ...retry.map((job) => trialJobSchema.parse(job.data)),
      ...add.map((trial) => trialJobOf(info, trial)),
    ];
    const retried = trials.map(({ trialId }) => trialId);
    if (retried.length === 0) return { sweepId, retried, reportReopened: false };
    // A dataset whose generation failed is enqueued afresh, so the trials do not wait on it in vain.
    await this.enqueueDataset(info.plan.dataset);
    for (const trial of trials) {
      // No attempt holds these jobs: their records (failed, cancelled, or running if a trainer died) wait again.
      await this.records.setStatus({ ...trial, jobId: trialJobId(sweepId, trial.trialId) }, 'waiting', {
        reason,
      });
    }
    for (const job of retry)
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    await this.enqueueTrials(info, add);
    const report = await this.queues[QUEUES.report].getJob(reportJobId(sweepId));
    const reportState = await report?.getState();
    // The reporter finds children pending again and waits for them (see apps/reporter).
    const reopened = reportState === 'completed' || reportState === 'failed';
    if (reopened) await report?.retry(reportState, { resetAttemptsMade: true });
    return { sweepId, retried, reportReopened: reopened };
  }

  /** Enqueues trials as further children of the sweep's report job; returns their payloads. */
  private async enqueueTrials(info: SweepInfo, trials: readonly TrialSpec[]): Promise<TrialJob[]> {
    const report = this.queues[QUEUES.report];
    const jobs = trials.map((trial) => trialJobOf(info, trial));
    for (const data of jobs) {
      await this.queues[QUEUES.train].add(JOB_NAMES.trial, data, {
        jobId: trialJobId(info.sweepId, data.trialId),
        ...JOB_OPTIONS.trial,
        parent: { id: reportJobId(info.sweepId), queue: report.qualifiedName },
      });
    }
    return jobs;
  }

  /**
   * Adds trials to a running sweep (a TPE suggestion): recorded in the registry, then enqueued as
   * further children of the sweep's report job, so the report waits for them too. Call it while
   * another trial of the sweep is still active (the trainer does, before completing the trial whose
   * result led to the suggestion), else the report may already have run. Ids are deterministic:
   * adding the same trial twice adds nothing. Returns the trials' job ids.
   */
  async addTrials(sweepId: string, trialsInput: readonly TrialSpec[]): Promise<string[]> {
    const info = await this.sweeps.get(sweepId);
    if (info === undefined) throw new Error(`no sweep ${sweepId} to add trials to`);
    const trials = trialsInput.map((trial) => parsePayload(trialSpecSchema, trial, `trial of ${sweepId}`));
    await this.sweeps.addTrials(sweepId, trials);
    return (await this.enqueueTrials(info, trials)).map((trial) => trialJobId(sweepId, trial.trialId));
  }

  /**
   * Removes every queue under this prefix with all its jobs, running ones included; for benches and
   * tests that own their prefix. The sweep keys beside the queues (registry, TPE progress, curves) stay.
   */
  async obliterate(): Promise<void> {
    for (const queue of Object.values(this.queues)) await queue.obliterate({ force: true });
  }

  /** Closes the queues (idempotent); the connection stays open. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flows.close();
      await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
    })();
    return this.closing;
  }

  private async exists(
    name: QueueName,
    jobId: string,
    options: { replaceFailed?: boolean; replaceCompleted?: boolean | undefined } = {},
  ) {
    const job: Job | undefined = await this.queues[name].getJob(jobId);
    if (job === undefined) return false;
    const state = await job.getState();
    if (
      (options.replaceFailed && state === 'failed') ||
      (options.replaceCompleted && state === 'completed')
    ) {
      await this.queues[name].remove(jobId, { removeChildren: true });
      return false;
    }
    return true;
  }
}

/** The job payload of one of a sweep's trials. */
function trialJobOf(info: SweepInfo, trial: TrialSpec): TrialJob {
  return { sweepId: info.sweepId, datasetId: info.datasetId, dataset: info.plan.dataset, ...trial };
}
