import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { failureCode, SweepCancelledError } from './errors.js';
import { reportJobId, trialJobId } from './ids.js';
import { type TrialProgress, trialProgressSchema } from './job-payloads.js';
import { QUEUES } from './queue-names.js';
import { DEFAULT_OBJECTIVE, type SweepObjective } from './sweep-plan.js';
import { DEFAULT_QUEUE_PREFIX, type SweepInfo, SweepRegistry } from './sweep-registry.js';
import { ENDED_STATUSES, type EpochMetrics, type TrialRecordState } from './trial-record.js';
import { TrialRecordStore } from './trial-record-store.js';

/**
 * Where a sweep stands:
 * - `queued`: no trial has started yet;
 * - `running`: some trial started, and the report is not written yet;
 * - `completed`: the report is written and at least one trial completed (or was stopped by the scheduler);
 * - `failed`: every trial failed, or the report job failed;
 * - `cancelled`: `mtl cancel` marked it (its report is still written once running trials stop).
 */
export type SweepState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/**
 * Where a trial stands: `waiting` (queued), `delayed` (waiting for its dataset, or backing off before a
 * retry), `running`, `completed`, `stopped` (by the sweep's scheduler), `failed` (for good),
 * `cancelled` (removed or stopped by a cancel), `missing` (its job is gone, e.g. removed by hand).
 */
export type TrialState =
  | 'waiting'
  | 'delayed'
  | 'running'
  | 'completed'
  | 'stopped'
  | 'failed'
  | 'cancelled'
  | 'missing';

/** One trial of a sweep as its record (and, for a trial no attempt owns, its queue) says. */
export interface TrialStatus {
  trialId: string;
  jobId: string;
  state: TrialState;
  /** Attempts made so far (a retried trial has more than 1). */
  attempts: number;
  /** The latest progress the trial reported (one per epoch), if any. */
  progress?: {
    phase: TrialProgress['phase'];
    epoch: number;
    epochs: number;
    /** Validation metrics of that epoch (`loss`, `shape_acc`, …). */
    val: EpochMetrics;
  };
  /** Best value of the sweep's objective metric over the trial's training epochs so far. */
  objective?: number;
  /** Why it failed, was stopped by the scheduler, or was cancelled. */
  reason?: string;
}

/** Trials by outcome. `done` = completed + stopped by the scheduler. */
export interface TrialCounts {
  total: number;
  done: number;
  failed: number;
  running: number;
  /** Waiting or delayed. */
  waiting: number;
  cancelled: number;
}

/** Everything `mtl status` shows of a sweep. */
export interface SweepStatus {
  sweep: SweepInfo;
  state: SweepState;
  objective: SweepObjective;
  counts: TrialCounts;
  /** Best objective over the completed trials (stopped ones are not comparable), if any. */
  best?: { trialId: string; value: number };
  /** In the plan's order, then trials added while it ran (TPE). */
  trials: TrialStatus[];
}

/** One line of `mtl ls`. */
export interface SweepSummary {
  sweepId: string;
  name: string;
  createdAt: string;
  state: SweepState;
  counts: TrialCounts;
  /** What `best` is: the metric on the validation split the sweep ranks trials by while it runs. */
  objective: SweepObjective;
  best?: { trialId: string; value: number };
}

/**
 * Reads the state of sweeps from Redis alone: what `mtl status`, `mtl ls` and a web view show. Each
 * trial's record (TrialRecordStore, read for every trial in one pipelined call) is the source; the
 * `train` queue is asked only about trials whose record has not ended, because a trial no attempt
 * owns (queued, or its trainer died mid-attempt) is only known to its queue. BullMQ is loaded then
 * only, so listing finished sweeps starts fast.
 */
export class SweepStatusReader {
  readonly registry: SweepRegistry;
  private readonly records: TrialRecordStore;
  private queues?: Promise<{ train: Queue; report: Queue }>;
  private closing?: Promise<void>;

  /** `connection` stays the caller's: `close()` does not close it. Default prefix `mtl`. */
  constructor(
    private readonly connection: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {
    this.registry = new SweepRegistry(connection, prefix);
    this.records = new TrialRecordStore(connection, prefix);
  }

  /** The status of one sweep, or undefined when no sweep has that id. */
  async status(sweepId: string): Promise<SweepStatus | undefined> {
    const sweep = await this.registry.get(sweepId);
    if (sweep === undefined) return undefined;
    const objective = sweep.plan.objective ?? DEFAULT_OBJECTIVE;
    const cancelled = sweep.cancelledAt !== undefined;
    const all = await this.registry.trials(sweepId, sweep);
    const ids = all.map(({ trialId }) => trialId);
    const records = await this.records.states(sweepId, ids);
    const statuses = await Promise.all(
      ids.map(async (trialId) => {
        const jobId = trialJobId(sweepId, trialId);
        const record = records.get(trialId);
        if (record && ENDED_STATUSES.has(record.status))
          return trialStatus(trialId, jobId, record, undefined, cancelled);
        const job = await (await this.queue()).train.getJob(jobId);
        const queued = job ? { job, state: await job.getState() } : undefined;
        return trialStatus(trialId, jobId, record, queued, cancelled);
      }),
    );
    // A reported sweep whose trials all ended needs no queue; else its report job says where it is.
    const ended = ids.every((trialId) => ENDED_STATUSES.has(records.get(trialId)?.status ?? 'waiting'));
    const reportState =
      sweep.reportedAt !== undefined && ended
        ? 'completed'
        : await (await this.queue()).report.getJobState(reportJobId(sweepId));
    const counts = countTrials(statuses);
    return {
      sweep,
      state: sweepState(cancelled, reportState, counts),
      objective,
      counts,
      ...bestOf(statuses, objective.direction),
      trials: statuses,
    };
  }

  /** The newest sweep's id, or undefined when there is none. */
  async latest(): Promise<string | undefined> {
    return (await this.registry.list({ limit: 1 }))[0];
  }

  /** Summaries of the newest sweeps first (default the 20 newest). */
  async listSweeps(options: { offset?: number; limit?: number } = {}): Promise<SweepSummary[]> {
    const ids = await this.registry.list({ offset: options.offset ?? 0, limit: options.limit ?? 20 });
    const statuses = await Promise.all(ids.map((id) => this.status(id)));
    return statuses
      .filter((status): status is SweepStatus => status !== undefined)
      .map(({ sweep, state, counts, objective, best }) => ({
        sweepId: sweep.sweepId,
        name: sweep.name,
        createdAt: sweep.createdAt,
        state,
        counts,
        objective,
        ...(best ? { best } : {}),
      }));
  }

  /** Closes the queues it opened (idempotent); the connection stays open. */
  close(): Promise<void> {
    this.closing ??= (this.queues ?? Promise.resolve(undefined)).then(async (queues) => {
      await Promise.all([queues?.train.close(), queues?.report.close()]);
    });
    return this.closing;
  }

  /** The queues, with BullMQ loaded on first need: a finished sweep or an empty list never loads it. */
  private queue(): Promise<{ train: Queue; report: Queue }> {
    this.queues ??= import('bullmq').then(({ Queue }) => {
      const open = (name: string) =>
        // Commands reject on their own; connection errors are the caller's to report.
        new Queue(name, { connection: this.connection, prefix: this.prefix }).on('error', () => {});
      return { train: open(QUEUES.train), report: open(QUEUES.report) };
    });
    return this.queues;
  }
}

function trialStatus(
  trialId: string,
  jobId: string,
  record: TrialRecordState | undefined,
  queued: { job: Job; state: string } | undefined,
  cancelled: boolean,
): TrialStatus {
  const status: TrialStatus = {
    trialId,
    jobId,
    state: 'missing',
    attempts: record?.attempts ?? queued?.job.attemptsMade ?? 0,
  };
  if (record?.progress) status.progress = record.progress;
  else {
    const progress = trialProgressSchema.safeParse(queued?.job.progress);
    if (progress.success) {
      const { phase, epoch, epochs, val } = progress.data;
      status.progress = { phase, epoch, epochs, val };
    }
  }
  if (record?.objective !== undefined) status.objective = record.objective;
  if (record && ENDED_STATUSES.has(record.status)) {
    status.state = record.status as TrialState;
    const reason = record.decision?.reason ?? record.reason;
    if (reason !== undefined) status.reason = reason;
    return status;
  }
  if (queued === undefined) {
    if (cancelled) status.state = 'cancelled';
    return status;
  }
  // The record has not ended: the queue says whether an attempt holds the trial now.
  switch (queued.state) {
    case 'completed':
      // A job that completed without an ended record (an older trainer): its outcome is unknown here.
      status.state = 'completed';
      break;
    case 'failed': {
      const reason = queued.job.failedReason;
      status.state = failureCode(reason) === SweepCancelledError.code ? 'cancelled' : 'failed';
      status.reason = reason;
      break;
    }
    case 'active':
      status.state = 'running';
      break;
    case 'delayed':
      status.state = 'delayed';
      if (record?.reason !== undefined) status.reason = record.reason;
      break;
    case 'unknown':
      status.state = cancelled ? 'cancelled' : 'missing';
      break;
    default:
      status.state = 'waiting';
  }
  return status;
}

function countTrials(trials: TrialStatus[]): TrialCounts {
  const counts: TrialCounts = {
    total: trials.length,
    done: 0,
    failed: 0,
    running: 0,
    waiting: 0,
    cancelled: 0,
  };
  for (const { state } of trials) {
    if (state === 'completed' || state === 'stopped') counts.done++;
    else if (state === 'failed' || state === 'missing') counts.failed++;
    else if (state === 'running') counts.running++;
    else if (state === 'cancelled') counts.cancelled++;
    else counts.waiting++;
  }
  return counts;
}

function sweepState(cancelled: boolean, reportState: string, counts: TrialCounts): SweepState {
  if (cancelled) return 'cancelled';
  if (reportState === 'failed') return 'failed';
  if (reportState === 'completed') return counts.done > 0 ? 'completed' : 'failed';
  if (counts.total > 0 && counts.failed === counts.total) return 'failed';
  return counts.running > 0 || counts.done + counts.failed > 0 ? 'running' : 'queued';
}

function bestOf(trials: TrialStatus[], direction: SweepObjective['direction']): Pick<SweepStatus, 'best'> {
  let best: { trialId: string; value: number } | undefined;
  for (const { trialId, state, objective } of trials) {
    if (state !== 'completed' || objective === undefined) continue;
    if (best === undefined || (direction === 'minimize' ? objective < best.value : objective > best.value))
      best = { trialId, value: objective };
  }
  return best ? { best } : {};
}
