import { type DatasetSpecInput, datasetId, datasetSpecSchema, SPLITS, shardCount } from '@repo/dataset/spec';
import { FlowProducer, type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import stringify from 'safe-stable-stringify';
import { parsePayload, SweepCancelledError, SweepConflictError } from './errors.js';
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
import { type SweepPlanInput, sweepPlanSchema } from './sweep-plan.js';
import { DEFAULT_QUEUE_PREFIX, SweepRegistry } from './sweep-registry.js';
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

/** What `retryFailed` did. */
export interface RetriedSweep {
  sweepId: string;
  /** Failed trials moved back to the queue under their own ids, with fresh attempts. */
  retried: string[];
  /** True when the sweep's report had been written: it is written again once the retried trials end. */
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
   * generation failed is removed and enqueued afresh.
   */
  async enqueueDataset(specInput: DatasetSpecInput): Promise<EnqueuedDataset> {
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
    if (await this.exists(QUEUES.generate, jobId, { replaceFailed: true }))
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
   */
  async enqueueSweep(planInput: SweepPlanInput): Promise<EnqueuedSweep> {
    const plan = parsePayload(sweepPlanSchema, planInput, 'sweep plan');
    const dataset = await this.enqueueDataset(plan.dataset);
    const trialJobIds = plan.trials.map((trial) => trialJobId(plan.sweepId, trial.trialId));
    const result = { sweepId: plan.sweepId, dataset, reportJobId: reportJobId(plan.sweepId), trialJobIds };
    if (!(await this.sweeps.record(plan, dataset.datasetId))) {
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
   * SweepCancelledError for a cancelled sweep.
   */
  async retryFailed(sweepId: string): Promise<RetriedSweep | undefined> {
    const info = await this.sweeps.get(sweepId);
    if (info === undefined) return undefined;
    if (info.cancelledAt !== undefined)
      throw new SweepCancelledError(sweepId, '; enqueue its spec under a new name to run it again');
    const train = this.queues[QUEUES.train];
    const failed: { trialId: string; job: Job }[] = [];
    for (const { trialId } of await this.sweeps.trials(sweepId, info)) {
      const job = await train.getJob(trialJobId(sweepId, trialId));
      if (job !== undefined && (await job.getState()) === 'failed') failed.push({ trialId, job });
    }
    const retried = failed.map(({ trialId }) => trialId);
    if (retried.length === 0) return { sweepId, retried, reportReopened: false };
    // A dataset whose generation failed is enqueued afresh, so retried trials do not wait on it in vain.
    await this.enqueueDataset(info.plan.dataset);
    for (const { job } of failed) {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      const trial = trialJobSchema.parse(job.data);
      // No attempt holds a failed job: its record (failed, or running if its trainer died) waits again.
      await this.records.setStatus(
        { ...trial, jobId: job.id ?? trialJobId(sweepId, trial.trialId) },
        'waiting',
        {
          reason: 'retried (mtl retry)',
        },
      );
    }
    const report = await this.queues[QUEUES.report].getJob(reportJobId(sweepId));
    const reportState = await report?.getState();
    // The reporter finds children pending again and waits for them (see apps/reporter).
    const reopened = reportState === 'completed' || reportState === 'failed';
    if (reopened) await report?.retry(reportState, { resetAttemptsMade: true });
    return { sweepId, retried, reportReopened: reopened };
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
    const report = this.queues[QUEUES.report];
    const jobIds: string[] = [];
    for (const trial of trials) {
      const data: TrialJob = { sweepId, datasetId: info.datasetId, dataset: info.plan.dataset, ...trial };
      const jobId = trialJobId(sweepId, trial.trialId);
      await this.queues[QUEUES.train].add(JOB_NAMES.trial, data, {
        jobId,
        ...JOB_OPTIONS.trial,
        parent: { id: reportJobId(sweepId), queue: report.qualifiedName },
      });
      jobIds.push(jobId);
    }
    return jobIds;
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

  private async exists(name: QueueName, jobId: string, options: { replaceFailed?: boolean } = {}) {
    const job: Job | undefined = await this.queues[name].getJob(jobId);
    if (job === undefined) return false;
    if (options.replaceFailed && (await job.getState()) === 'failed') {
      await this.queues[name].remove(jobId, { removeChildren: true });
      return false;
    }
    return true;
  }
}
