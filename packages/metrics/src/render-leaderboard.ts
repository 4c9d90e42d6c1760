import type { MetricSummary, RunAggregate } from './aggregate.js';
import { describeConfig, formatMetricValue } from './format-values.js';
import { isRateMetric } from './objective.js';
import { renderTable } from './text-table.js';

export interface LeaderboardRenderOptions {
  /** Metric columns after the objective. Default `position_mae_px`, `shape_acc`, `colour_acc`. */
  metrics?: readonly string[];
  /** Groups shown, best first. Default all. */
  limit?: number;
}

/**
 * A terminal leaderboard: one row per configuration (rank, config, runs, objective and metrics as
 * mean ± std), then the best runs and the runs left out (failed, unfinished, invalid), named by source.
 */
export function renderLeaderboard(aggregate: RunAggregate, options: LeaderboardRenderOptions = {}): string {
  const { objective } = aggregate;
  const shown = aggregate.leaderboard.slice(0, options.limit ?? aggregate.leaderboard.length);
  const metrics = [
    objective.metric,
    ...(options.metrics ?? ['position_mae_px', 'shape_acc', 'colour_acc']),
  ].filter((metric, i, all) => all.indexOf(metric) === i);
  const header = [
    '#',
    'config',
    'runs',
    ...metrics.map((metric) => (isRateMetric(metric) ? `${metric} %` : metric)),
  ];
  header[3] = `${header[3]} (${objective.direction === 'minimize' ? 'min' : 'max'})`;
  const rows = shown.map((group, i) => [
    String(i + 1),
    describeConfig(group.config),
    String(group.count),
    ...metrics.map((metric) => formatSummary(metric, group.metrics[metric])),
  ]);
  const lines = [
    renderTable(
      header,
      rows,
      header.map((_, i) => (i === 1 ? 'left' : 'right')),
    ),
  ];
  const { counts } = aggregate;
  lines.push(
    '',
    `runs: ${counts.total} · completed ${counts.completed} · failed ${counts.failed} · stopped by scheduler ` +
      `${counts.stopped} · running ${counts.running} · invalid ${counts.invalid}`,
  );
  for (const best of aggregate.best) {
    lines.push(
      `best ${best.objective.metric}: ${best.runId} = ${formatMetricValue(best.objective.metric, best.value)}${isRateMetric(best.objective.metric) ? ' %' : ''} (${best.source})`,
    );
  }
  for (const run of aggregate.failed)
    lines.push(`failed: ${run.runId} (${run.source})${run.detail ? `: ${run.detail}` : ''}`);
  for (const run of aggregate.unfinished) {
    lines.push(`${run.status}: ${run.runId} (${run.source})${run.detail ? `: ${run.detail}` : ''}`);
  }
  for (const record of aggregate.invalid)
    lines.push(`invalid: ${record.source}: ${record.issues.join('; ')}`);
  return lines.join('\n');
}

function formatSummary(metric: string, summary: MetricSummary | undefined): string {
  if (summary === undefined) return '–';
  const mean = formatMetricValue(metric, summary.mean);
  return summary.std === null ? mean : `${mean} ± ${formatMetricValue(metric, summary.std)}`;
}
