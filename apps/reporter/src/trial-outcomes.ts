import { type ReportJob, type TrialSummary, trialJobId, trialSummarySchema } from '@repo/contracts';
import type { Job } from 'bullmq';

/** How each trial of a sweep ended (or has not yet). */
export interface TrialOutcomes {
  completed: TrialSummary[];
  failed: { trialId: string; reason: string }[];
  /** Trials still waiting, training or retrying (only when re-aggregating early). */
  pending: string[];
}

/**
 * Reads the outcome of every trial of a sweep from its report job: the return values of the
 * children that completed and the reasons of those that failed for good.
 */
export async function collectTrialOutcomes(job: Job<ReportJob>): Promise<TrialOutcomes> {
  const { sweepId, trialIds } = job.data;
  const values = await job.getChildrenValues<unknown>();
  const failures = await job.getIgnoredChildrenFailures();
  const byJobId = <T>(record: Record<string, T>) =>
    new Map(Object.entries(record).map(([key, value]) => [key.slice(key.lastIndexOf(':') + 1), value]));
  const completedById = byJobId(values);
  const failedById = byJobId(failures);
  const outcomes: TrialOutcomes = { completed: [], failed: [], pending: [] };
  for (const trialId of trialIds) {
    const id = trialJobId(sweepId, trialId);
    const value = completedById.get(id);
    const reason = failedById.get(id);
    if (value !== undefined) outcomes.completed.push(trialSummarySchema.parse(value));
    else if (reason !== undefined) outcomes.failed.push({ trialId, reason });
    else outcomes.pending.push(trialId);
  }
  return outcomes;
}
