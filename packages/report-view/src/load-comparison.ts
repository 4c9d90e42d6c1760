import type { ArtifactLayout } from '@repo/contracts/records';
import { buildReportView, type RunSource } from './build-report-view.js';
import { SweepNotFoundError } from './errors.js';
import { type ReportSummary, summariseReportView } from './report-summary.js';
import { readReportFile, readRunSource, trialIds } from './sweep-files.js';

/**
 * Two or more sweeps' configurations in one report: every completed run of each, its config tagged
 * with `sweep` (the sweep's name, or its id when names repeat), aggregated together, so the leaderboard,
 * verdicts, Pareto fronts and importance span the sweeps. Runs pair by seed only when every sweep
 * trained on the same dataset; otherwise seeds are dropped and configurations compare unpaired (Welch).
 */
export async function loadComparison(
  layout: ArtifactLayout,
  sweepIds: readonly string[],
): Promise<ReportSummary> {
  const sweeps: { sweepId: string; name: string; runs: RunSource[] }[] = [];
  for (const sweepId of sweepIds) {
    const ids = await trialIds(layout, sweepId);
    const report = await readReportFile(layout, sweepId);
    if (ids.length === 0 && report === undefined)
      throw new SweepNotFoundError(sweepId, layout.sweepDir(sweepId));
    const runs: RunSource[] = [];
    for (const trialId of ids) {
      const run = await readRunSource(layout, sweepId, trialId);
      if (run.record !== undefined) runs.push(run);
    }
    sweeps.push({ sweepId, name: report?.name ?? sweepId, runs });
  }
  const names = sweeps.map((sweep) => sweep.name);
  const label = (i: number) =>
    names.indexOf(names[i]!) === names.lastIndexOf(names[i]!) ? names[i]! : sweeps[i]!.sweepId;
  const datasets = new Set(sweeps.flatMap((sweep) => sweep.runs.map((run) => datasetOf(run.record))));
  const paired = datasets.size <= 1;
  const runs = sweeps.flatMap((sweep, i) =>
    sweep.runs.map((run) => ({
      ...run,
      trialId: `${sweep.sweepId}/${run.trialId}`,
      record: tagged(run.record, label(i), paired),
    })),
  );
  const view = buildReportView({
    sweepId: sweepIds.join('+'),
    name: `comparison of ${names.join(', ')}`,
    runs,
  });
  const { summary } = summariseReportView(view, { state: 'completed' });
  return {
    ...summary,
    sweepId: sweepIds.join(','),
    comparison: { sweeps: sweepIds.map((id, i) => ({ sweepId: id, name: label(i) })), paired },
  };
}

function datasetOf(record: unknown): string | undefined {
  const id = (record as { dataset?: { id?: unknown } } | null)?.dataset?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The record with `sweep` in its config and, when its seeds cannot pair, without them. */
function tagged(record: unknown, sweep: string, paired: boolean): unknown {
  if (record === null || typeof record !== 'object') return record;
  const { seed, config, ...rest } = record as { seed?: unknown; config?: Record<string, unknown> };
  const { seed: configSeed, ...params } = config ?? {};
  return {
    ...rest,
    config: { sweep, ...params, ...(paired && configSeed !== undefined ? { seed: configSeed } : {}) },
    ...(paired && seed !== undefined ? { seed } : {}),
  };
}
