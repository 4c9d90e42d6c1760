import {
  failureCode,
  QUEUES,
  type ReportJob,
  SweepCancelledError,
  type TrialSummary,
  trialJobId,
  trialSummarySchema,
} from '@repo/contracts';
import { type Job, QueueKeys } from 'bullmq';

/** How each trial of a sweep ended (or has not yet). */
export interface TrialOutcomes {
  completed: TrialSummary[];
  /** Trials the sweep's scheduler stopped early (their summaries carry `stoppedByScheduler`). */
  stopped: TrialSummary[];
  failed: { trialId: string; reason: string }[];
  /** Trials of a cancelled sweep that were removed before they ran, or stopped by the cancel. */
  cancelled: { trialId: string; reason: string }[];
  /** Trials still waiting, training or retrying (only when re-aggregating early). */
  pending: string[];
}

/**
 * Reads the outcome of every trial of a sweep from its report job: the return values of the
 * children that completed and the reasons of those that failed for good (`prefix`: the queues' key
 * prefix). `trialIds` defaults to the
 * job's (a TPE sweep has more: those added while it ran). In a `cancelled` sweep, trials that never
 * ran count as cancelled, not pending.
 */
export async function collectTrialOutcomes(
  job: Job<ReportJob>,
  options: { prefix: string; trialIds?: readonly string[]; cancelled?: boolean },
): Promise<TrialOutcomes> {
  const { sweepId } = job.data;
  const trialIds = options.trialIds ?? job.data.trialIds;
  const cancelled = options.cancelled ?? false;
  const values = await job.getChildrenValues<unknown>();
  const failures = await job.getIgnoredChildrenFailures();
  // Children are keyed by their Redis key; BullMQ's QueueKeys builds the key of each trial's job.
  const keys = new QueueKeys(options.prefix);
  const completedById = new Map(Object.entries(values));
  const failedById = new Map(Object.entries(failures));
  const outcomes: TrialOutcomes = { completed: [], stopped: [], failed: [], cancelled: [], pending: [] };
  for (const trialId of trialIds) {
    const key = keys.toKey(QUEUES.train, trialJobId(sweepId, trialId));
    const value = completedById.get(key);
    const reason = failedById.get(key);
    if (value !== undefined) {
      const summary = trialSummarySchema.parse(value);
      (summary.stoppedByScheduler === undefined ? outcomes.completed : outcomes.stopped).push(summary);
    } else if (reason !== undefined) {
      const cancelledTrial = failureCode(reason) === SweepCancelledError.code;
      (cancelledTrial ? outcomes.cancelled : outcomes.failed).push({ trialId, reason });
    } else if (cancelled) outcomes.cancelled.push({ trialId, reason: 'sweep cancelled before it ran' });
    else outcomes.pending.push(trialId);
  }
  return outcomes;
}
