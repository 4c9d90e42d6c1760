import {
  CANCELLED_REASON_PREFIX,
  type ReportJob,
  type TrialSummary,
  trialJobId,
  trialSummarySchema,
} from '@repo/contracts';
import type { Job } from 'bullmq';

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
 * children that completed and the reasons of those that failed for good. `trialIds` defaults to the
 * job's (a TPE sweep has more: those added while it ran). In a `cancelled` sweep, trials that never
 * ran count as cancelled, not pending.
 */
export async function collectTrialOutcomes(
  job: Job<ReportJob>,
  options: { trialIds?: readonly string[]; cancelled?: boolean } = {},
): Promise<TrialOutcomes> {
  const { sweepId } = job.data;
  const trialIds = options.trialIds ?? job.data.trialIds;
  const cancelled = options.cancelled ?? false;
  const values = await job.getChildrenValues<unknown>();
  const failures = await job.getIgnoredChildrenFailures();
  const byJobId = <T>(record: Record<string, T>) =>
    new Map(Object.entries(record).map(([key, value]) => [key.slice(key.lastIndexOf(':') + 1), value]));
  const completedById = byJobId(values);
  const failedById = byJobId(failures);
  const outcomes: TrialOutcomes = { completed: [], stopped: [], failed: [], cancelled: [], pending: [] };
  for (const trialId of trialIds) {
    const id = trialJobId(sweepId, trialId);
    const value = completedById.get(id);
    const reason = failedById.get(id);
    if (value !== undefined) {
      const summary = trialSummarySchema.parse(value);
      (summary.stoppedByScheduler === undefined ? outcomes.completed : outcomes.stopped).push(summary);
    } else if (reason?.startsWith(CANCELLED_REASON_PREFIX)) outcomes.cancelled.push({ trialId, reason });
    else if (reason !== undefined) outcomes.failed.push({ trialId, reason });
    else if (cancelled) outcomes.cancelled.push({ trialId, reason: 'sweep cancelled before it ran' });
    else outcomes.pending.push(trialId);
  }
  return outcomes;
}
