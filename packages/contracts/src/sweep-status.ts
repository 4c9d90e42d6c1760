import { validationValue } from '@repo/metrics';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { failureCode, SweepCancelledError } from './errors.js';
import { reportJobId, trialJobId } from './ids.js';
import { type TrialProgress, trialProgressSchema, trialSummarySchema } from './job-payloads.js';
import { QUEUES } from './queue-names.js';
import { DEFAULT_OBJECTIVE, type SweepObjective } from './sweep-plan.js';
import { DEFAULT_QUEUE_PREFIX, type SweepInfo, SweepRegistry } from './sweep-registry.js';
import { type EpochMetrics, type EpochRecord, TrialCurves } from './trial-curves.js';

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

/** One trial of a sweep as the queues and the curves store see it. */
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
 * Reads the state of sweeps from Redis alone (sweep registry, the `train` and `report` queues, the
 * trial curves): what `mtl status`, `mtl ls` and a web view show. Costs two Redis round trips per
 * trial (issued together), so reading a 1,000-trial sweep stays well under a second.
 */
export class SweepStatusReader {
  readonly registry: SweepRegistry;
  private readonly curves: TrialCurves;
  private readonly train: Queue;
  private readonly report: Queue;
  private closing?: Promise<void>;

  /** `connection` stays the caller's: `close()` does not close it. Default prefix `mtl`. */
  constructor(connection: Redis, prefix: string = DEFAULT_QUEUE_PREFIX) {
    this.registry = new SweepRegistry(connection, prefix);
    this.curves = new TrialCurves(connection, prefix);
    // Commands reject on their own; connection errors are the caller's to report.
    this.train = new Queue(QUEUES.train, { connection, prefix }).on('error', () => {});
    this.report = new Queue(QUEUES.report, { connection, prefix }).on('error', () => {});
  }

  /** The status of one sweep, or undefined when no sweep has that id. */
  async status(sweepId: string): Promise<SweepStatus | undefined> {
    const sweep = await this.registry.get(sweepId);
    if (sweep === undefined) return undefined;
    const objective = sweep.plan.objective ?? DEFAULT_OBJECTIVE;
    const cancelled = sweep.cancelledAt !== undefined;
    const all = await this.registry.trials(sweepId, sweep);
    const [curves, reportState, trials] = await Promise.all([
      this.curves.all(sweepId),
      this.report.getJobState(reportJobId(sweepId)),
      Promise.all(
        all.map(async ({ trialId }) => {
          const jobId = trialJobId(sweepId, trialId);
          const job = await this.train.getJob(jobId);
          return { trialId, jobId, job, state: job ? await job.getState() : undefined };
        }),
      ),
    ]);
    const statuses = trials.map(({ trialId, jobId, job, state }) =>
      trialStatus(trialId, jobId, job, state, cancelled, curves.get(trialId), objective),
    );
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

  /** Closes the queues (idempotent); the connection stays open. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.train.close(), this.report.close()]).then(() => {});
    return this.closing;
  }
}

function trialStatus(
  trialId: string,
  jobId: string,
  job: Job | undefined,
  jobState: string | undefined,
  cancelled: boolean,
  curve: EpochRecord[] | undefined,
  objective: SweepObjective,
): TrialStatus {
  const status: TrialStatus = { trialId, jobId, state: 'missing', attempts: job?.attemptsMade ?? 0 };
  const progress = trialProgressSchema.safeParse(job?.progress);
  if (progress.success) {
    const { phase, epoch, epochs, val } = progress.data;
    status.progress = { phase, epoch, epochs, val };
  }
  const value = curve && bestValue(curve, objective);
  if (value !== undefined) status.objective = value;
  if (job === undefined) {
    if (cancelled) status.state = 'cancelled';
    return status;
  }
  switch (jobState) {
    case 'completed': {
      const summary = trialSummarySchema.safeParse(job.returnvalue);
      const stopped = summary.success ? summary.data.stoppedByScheduler : undefined;
      status.state = stopped === undefined ? 'completed' : 'stopped';
      if (stopped !== undefined) status.reason = stopped;
      break;
    }
    case 'failed':
      status.state = failureCode(job.failedReason) === SweepCancelledError.code ? 'cancelled' : 'failed';
      status.reason = job.failedReason;
      break;
    case 'active':
      status.state = 'running';
      break;
    case 'delayed':
      status.state = 'delayed';
      break;
    case 'unknown':
      status.state = cancelled ? 'cancelled' : 'missing';
      break;
    default:
      status.state = 'waiting';
  }
  return status;
}

/** Best value of the objective metric over the curve; undefined when no epoch has it. */
function bestValue(curve: EpochRecord[], objective: SweepObjective): number | undefined {
  let best: number | undefined;
  for (const { val } of curve) {
    const value = validationValue(val, objective.metric);
    if (Number.isNaN(value)) continue;
    if (best === undefined || (objective.direction === 'minimize' ? value < best : value > best))
      best = value;
  }
  return best;
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
