import {
  failureCode,
  QUEUES,
  type ReportJob,
  SweepCancelledError,
  summaryOf,
  type TrialRecordStore,
  type TrialSummary,
  trialJobId,
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
 * Reads the outcome of every trial of a sweep from its records (`trialIds` defaults to the report
 * job's; a TPE sweep has more: those added while it ran). A trial whose record has not ended but
 * whose job failed for good (its trainer died on every attempt, so no attempt could say so) takes the
 * failure BullMQ kept under the report job. In a `cancelled` sweep, trials that never ran count as
 * cancelled, not pending.
 */
export async function collectTrialOutcomes(
  job: Job<ReportJob>,
  options: { prefix: string; records: TrialRecordStore; trialIds?: readonly string[]; cancelled?: boolean },
): Promise<TrialOutcomes> {
  const { sweepId } = job.data;
  const trialIds = options.trialIds ?? job.data.trialIds;
  const cancelled = options.cancelled ?? false;
  const states = await options.records.states(sweepId, trialIds);
  // Children are keyed by their Redis key; BullMQ's QueueKeys builds the key of each trial's job.
  const keys = new QueueKeys(options.prefix);
  const failedById = new Map(Object.entries(await job.getIgnoredChildrenFailures()));
  const outcomes: TrialOutcomes = { completed: [], stopped: [], failed: [], cancelled: [], pending: [] };
  for (const trialId of trialIds) {
    const state = states.get(trialId);
    const summary =
      state && (state.status === 'completed' || state.status === 'stopped') ? summaryOf(state) : undefined;
    const reason =
      state?.status === 'failed' || state?.status === 'cancelled'
        ? (state.reason ?? state.status)
        : failedById.get(keys.toKey(QUEUES.train, trialJobId(sweepId, trialId)));
    if (summary !== undefined)
      (state?.status === 'stopped' ? outcomes.stopped : outcomes.completed).push(summary);
    else if (reason !== undefined) {
      const cancelledTrial =
        state?.status === 'cancelled' || failureCode(reason) === SweepCancelledError.code;
      (cancelledTrial ? outcomes.cancelled : outcomes.failed).push({ trialId, reason });
    } else if (cancelled) outcomes.cancelled.push({ trialId, reason: 'sweep cancelled before it ran' });
    else outcomes.pending.push(trialId);
  }
  return outcomes;
}
