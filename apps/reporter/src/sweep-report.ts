import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArtifactLayout, ReportJob, TrialSummary } from '@repo/contracts';
import { type AggregateOptions, aggregateRuns, type RunAggregate, type RunInput } from '@repo/metrics';
import type { TrialOutcomes } from './trial-outcomes.js';

export const REPORT_FORMAT = 'mtl-sweep-report';
export const REPORT_VERSION = 1;

/** `sweeps/<id>/report.json`: how every trial ended, and the completed runs aggregated. */
export interface SweepReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  sweepId: string;
  name: string;
  datasetId: string;
  generatedAt: string;
  counts: {
    trials: number;
    completed: number;
    stopped: number;
    failed: number;
    cancelled: number;
    pending: number;
  };
  /** Summaries of the completed trials, in the sweep's order. */
  completed: TrialSummary[];
  /**
   * Trials the sweep's scheduler stopped early (run.json status `stopped-early-by-scheduler`): not
   * scored on the test split, so not in the aggregate.
   */
  stopped: { trialId: string; epochs: number; reason: string }[];
  /** Trials that failed for good (or whose run record cannot be read), with the reason. */
  failed: { trialId: string; reason: string }[];
  /** Trials of a cancelled sweep that never ran or were stopped by the cancel. */
  cancelled: { trialId: string; reason: string }[];
  /** Trials not finished yet (only in an early re-aggregation). */
  pending: string[];
  /** The completed trials' run records aggregated by configuration (seed ignored): leaderboard, best runs. */
  aggregate: RunAggregate;
}

/** Builds the report of a sweep from its trial outcomes and writes it atomically. */
export async function writeSweepReport(
  layout: ArtifactLayout,
  sweep: ReportJob,
  outcomes: TrialOutcomes,
  options: AggregateOptions = {},
  now = new Date(),
): Promise<{ file: string; report: SweepReport }> {
  const failed = [...outcomes.failed];
  const completed: TrialSummary[] = [];
  const records: RunInput[] = [];
  for (const summary of outcomes.completed) {
    const file = join(layout.root, summary.runFile);
    try {
      records.push({ source: file, json: JSON.parse(await readFile(file, 'utf8')) });
      completed.push(summary);
    } catch (error) {
      failed.push({ trialId: summary.trialId, reason: `run record unreadable: ${(error as Error).message}` });
    }
  }
  const aggregate = aggregateRuns(records, options);
  const invalid = new Map(aggregate.invalid.map(({ source, issues }) => [source, issues]));
  const valid = completed.filter((trial) => {
    const issues = invalid.get(join(layout.root, trial.runFile));
    if (issues) failed.push({ trialId: trial.trialId, reason: `invalid run record: ${issues.join('; ')}` });
    return issues === undefined;
  });
  const report: SweepReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    sweepId: sweep.sweepId,
    name: sweep.name,
    datasetId: sweep.datasetId,
    generatedAt: now.toISOString(),
    counts: {
      trials: sweep.trialIds.length,
      completed: valid.length,
      stopped: outcomes.stopped.length,
      failed: failed.length,
      cancelled: outcomes.cancelled.length,
      pending: outcomes.pending.length,
    },
    completed: valid,
    stopped: outcomes.stopped.map(({ trialId, epochs, stoppedByScheduler }) => ({
      trialId,
      epochs,
      reason: stoppedByScheduler ?? '',
    })),
    failed,
    cancelled: outcomes.cancelled,
    pending: outcomes.pending,
    aggregate,
  };
  const file = layout.reportFile(sweep.sweepId, 'json');
  await writeJsonAtomic(file, report);
  return { file, report };
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, file);
}
