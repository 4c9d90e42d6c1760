import { join } from 'node:path';
import { type ArtifactLayout, fileExists, type ReportJob } from '@repo/contracts';
import type { Objective } from '@repo/metrics';
import {
  buildReportView,
  loadSampleImages,
  type ReportView,
  readRunSource,
  summariseReportView,
  writeReportSummary,
  writeReportView,
} from '@repo/report-view';
import type { TrialOutcomes } from './trial-outcomes.js';

/**
 * Builds a sweep's report view from its trial outcomes and the completed trials' run records, and
 * writes it to `sweeps/<id>/report.json` atomically (the complete record), then its compact summary
 * and runs in detail a page a file (report-summary.json, report-runs/): what pages and `mtl report`
 * read, so no request aggregates or parses every run again. `missing`: completed trials whose
 * run.json is not there (listed as failed, with where it was looked for).
 */
export async function writeSweepReport(
  layout: ArtifactLayout,
  sweep: ReportJob,
  outcomes: TrialOutcomes,
  options: { objective?: Objective } = {},
  now = new Date(),
): Promise<{ file: string; report: ReportView; missing: string[] }> {
  const runs = [];
  const failed = [...outcomes.failed];
  const missing: string[] = [];
  for (const summary of outcomes.completed) {
    const run = await readRunSource(layout, sweep.sweepId, summary.trialId);
    if (run.record !== undefined) {
      runs.push(run);
      continue;
    }
    const file = join(layout.root, run.source);
    const exists = await fileExists(file);
    if (!exists) missing.push(summary.trialId);
    failed.push({
      trialId: summary.trialId,
      reason: exists
        ? `run record unreadable: ${file}`
        : `run record missing: ${file} (deleted, or the trainer wrote it under another ARTIFACTS_DIR)`,
    });
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
  const file = await writeReportView(layout, report);
  const state =
    outcomes.pending.length > 0 ? 'running' : outcomes.cancelled.length > 0 ? 'cancelled' : 'completed';
  await writeReportSummary(layout, {
    ...summariseReportView(report, { state }),
    samples: await loadSampleImages(layout, report),
  });
  return { file, report, missing };
}
