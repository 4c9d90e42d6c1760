import type { ArtifactLayout, ReportJob } from '@repo/contracts';
import type { Objective } from '@repo/metrics';
import { buildReportView, type ReportView, readRunSource, writeReportView } from '@repo/report-view';
import type { TrialOutcomes } from './trial-outcomes.js';

/**
 * Builds a sweep's report view from its trial outcomes and the completed trials' run records, and
 * writes it to `sweeps/<id>/report.json` atomically: the one aggregation pages and `mtl report` read.
 */
export async function writeSweepReport(
  layout: ArtifactLayout,
  sweep: ReportJob,
  outcomes: TrialOutcomes,
  options: { objective?: Objective } = {},
  now = new Date(),
): Promise<{ file: string; report: ReportView }> {
  const runs = [];
  const failed = [...outcomes.failed];
  for (const summary of outcomes.completed) {
    const run = await readRunSource(layout, sweep.sweepId, summary.trialId);
    if (run.record === undefined) failed.push({ trialId: summary.trialId, reason: 'run record unreadable' });
    else runs.push(run);
  }
  const report = buildReportView({
    sweepId: sweep.sweepId,
    name: sweep.name,
    datasetId: sweep.datasetId,
    trials: sweep.trialIds.length,
    ...(options.objective ? { objective: options.objective } : {}),
    runs,
    completed: outcomes.completed,
    failed,
    stopped: outcomes.stopped.map(({ trialId, epochs, stoppedByScheduler }) => ({
      trialId,
      epochs,
      reason: stoppedByScheduler ?? '',
    })),
    cancelled: outcomes.cancelled,
    pending: outcomes.pending,
    generatedAt: now,
  });
  return { file: await writeReportView(layout, report), report };
}
