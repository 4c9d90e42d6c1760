import type { ArtifactLayout } from '@repo/contracts/records';
import { readJson, readReportFile, sweepIds, trialIds } from './sweep-files.js';

/** One row of the sweeps list. */
export interface SweepListEntry {
  sweepId: string;
  name: string;
  state: string;
  /** Trials planned, when known. */
  trials?: number;
  /** Trials completed (or stopped by the scheduler). */
  done: number;
  failed: number;
  /** The best figure so far: which metric, on which split. */
  best?: { metric: string; split: string; value: number };
  createdAt?: string;
}

/**
 * The sweeps found under ARTIFACTS_DIR/sweeps, from report.json where written, else from the trials'
 * run records: what a list shows without Redis. The files alone cannot say whether a sweep without a
 * report still runs: such a sweep gets `unreportedState`, by default `unknown` (Redis does not
 * answer); a caller whose Redis answers and does not know the sweep says `orphaned`.
 */
export async function listSweepsFromArtifacts(
  layout: ArtifactLayout,
  unreportedState: 'unknown' | 'orphaned' = 'unknown',
): Promise<SweepListEntry[]> {
  const entries: SweepListEntry[] = [];
  for (const sweepId of await sweepIds(layout)) {
    const report = await readReportFile(layout, sweepId);
    if (report) {
      const best = report.aggregate.best.find(
        (run) => run.objective.metric === report.aggregate.objective.metric,
      );
      entries.push({
        sweepId,
        name: report.name,
        state: report.counts.pending > 0 ? 'running' : 'completed',
        trials: report.counts.trials,
        done: report.counts.completed,
        failed: report.counts.failed,
        ...(best ? { best: { metric: best.objective.metric, split: 'test', value: best.value } } : {}),
      });
      continue;
    }
    let done = 0;
    let failed = 0;
    for (const trialId of await trialIds(layout, sweepId)) {
      const record = (await readJson(`${layout.trialDir(sweepId, trialId)}/run.json`)) as {
        status?: unknown;
      } | null;
      if (record?.status === 'failed') failed++;
      else if (record?.status === 'completed' || record?.status === 'stopped-early-by-scheduler') done++;
    }
    entries.push({ sweepId, name: sweepId, state: unreportedState, done, failed });
  }
  return entries;
}
