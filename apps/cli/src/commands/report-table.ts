import { renderConfusionMatrix, renderLeaderboard } from '@repo/metrics';
import type { SweepView } from '@repo/report-view';

/** The sweep's header, @repo/metrics' leaderboard, trials failed without a record, the best configuration's matrices. */
export function renderReportTable(view: SweepView): string {
  const { counts } = view;
  const lines = [
    `sweep ${view.sweepId} (${view.name}): ${view.state}; trials ${counts.trials}, completed ${counts.completed}, ` +
      `failed ${counts.failed}, pending ${counts.pending}` +
      (counts.stopped > 0 ? `, stopped ${counts.stopped}` : '') +
      (counts.cancelled > 0 ? `, cancelled ${counts.cancelled}` : '') +
      (view.provisional ? ' (not reported yet: from the run records as they are now)' : ''),
    '',
    renderLeaderboard(view.aggregate),
  ];
  const recorded = new Set(view.aggregate.failed.map((run) => run.runId));
  for (const entry of view.failed) {
    if (!recorded.has(entry.trialId)) lines.push(`failed: ${entry.trialId}: ${entry.reason}`);
  }
  for (const entry of view.stopped)
    lines.push(`stopped-early-by-scheduler: ${entry.trialId} after ${entry.epochs} epoch(s)`);
  for (const entry of view.cancelled) lines.push(`cancelled: ${entry.trialId}: ${entry.reason}`);
  for (const trialId of view.pending) lines.push(`pending: ${trialId}`);
  const best = view.aggregate.leaderboard[0];
  if (best) {
    for (const head of ['shape', 'colour'] as const) {
      const { labels, summed, normalised } = best.confusion[head];
      lines.push(
        '',
        `${head}, best configuration (${best.count} run${best.count === 1 ? '' : 's'} summed):`,
        renderConfusionMatrix(summed, labels),
        '',
        renderConfusionMatrix(normalised, labels, { format: 'percent' }),
      );
    }
  }
  return lines.join('\n');
}
