import { formatParameterValue, renderConfusionMatrix, renderTextTable } from '@repo/metrics';
import {
  configName,
  formatComparison,
  formatMetric,
  formatP,
  formatWithInterval,
  metricLabel,
  type ReportSummary,
  SHARING_COLUMNS,
  sharingCells,
  sharingHeadline,
  sharingMethod,
  TASK_CONFLICT_COLUMNS,
  TASK_CONFLICT_HINT,
  taskConflictCells,
} from '@repo/report-view';

/** Leaderboard rows a terminal shows; `--format json` (or the web app) has all. */
const TABLE_ROWS = 20;

const LEADERBOARD_METRICS = ['position_mae_px', 'shape_acc', 'colour_acc', 'parameters', 'duration_s'];

/**
 * The sweep's report for a terminal: its header, "Does sharing help?" when the sweep has single-task
 * baselines, the verdict table, the leaderboard (varying
 * hyperparameters only, means with 95 % intervals), the Pareto front, parameter importance, the trials
 * left out, and the best configuration's confusion matrices.
 */
export function renderReportTable(summary: ReportSummary): string {
  const { counts, objective } = summary;
  const lines = [
    `sweep ${summary.sweepId} (${summary.name}): ${summary.state}; trials ${counts.trials}, completed ${counts.completed}, ` +
      `failed ${counts.failed}, pending ${counts.pending}` +
      (counts.stopped > 0 ? `, stopped ${counts.stopped}` : '') +
      (counts.cancelled > 0 ? `, cancelled ${counts.cancelled}` : '') +
      (summary.provisional ? ' (not reported yet: from the run records as they are now)' : ''),
    `objective ${objective.metric} on ${objective.split} (${objective.direction})`,
  ];
  const constants = Object.entries(summary.parameters.constant);
  if (constants.length > 0)
    lines.push(
      `every configuration: ${constants.map(([k, v]) => `${k} ${formatParameterValue(v)}`).join(', ')}`,
    );
  lines.push(...sharing(summary), '', ...verdicts(summary), '', ...leaderboard(summary));
  for (const best of summary.best)
    lines.push(
      `best ${best.metric} on ${best.split} (${best.direction === 'minimize' ? 'lowest' : 'highest'}): ${formatMetric(best.metric, best.value)} (${best.trialId})`,
    );
  lines.push(...pareto(summary), ...taskConflict(summary), ...importance(summary));
  const recorded = new Set(summary.invalid.map((entry) => entry.source));
  for (const entry of summary.failed)
    if (!recorded.has(entry.trialId)) lines.push(`failed: ${entry.trialId}: ${entry.reason}`);
  for (const entry of summary.stopped)
    lines.push(`stopped-early-by-scheduler: ${entry.trialId} after ${entry.epochs} epoch(s)`);
  for (const entry of summary.cancelled) lines.push(`cancelled: ${entry.trialId}: ${entry.reason}`);
  for (const trialId of summary.pending) lines.push(`pending: ${trialId}`);
  const best = summary.leaderboard[0];
  if (best?.confusion) {
    for (const head of ['shape', 'colour'] as const) {
      const confusion = best.confusion[head];
      if (confusion === undefined) continue; // a head the best configuration lacks (single-task)
      const { labels, counts: matrix, normalised } = confusion;
      lines.push(
        '',
        `${head}, best configuration (${best.count} run${best.count === 1 ? '' : 's'} summed):`,
        renderConfusionMatrix(matrix, labels),
        '',
        renderConfusionMatrix(normalised, labels, { format: 'percent' }),
      );
    }
  }
  return lines.join('\n');
}

/** "Does sharing help?" first, when the sweep has a shared model and single-task baselines. */
function sharing(summary: ReportSummary): string[] {
  const analysis = summary.study.sharing;
  if (analysis === null) return [];
  const table = renderTextTable(
    [...SHARING_COLUMNS],
    analysis.rows.map((row) => sharingCells(summary, row)),
    ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'right', 'left'],
  );
  return ['', `Does sharing help? ${sharingHeadline(analysis)}`, table, sharingMethod(summary)];
}

function taskConflict(summary: ReportSummary): string[] {
  const rows = summary.study.taskConflict;
  if (rows.length === 0) return [];
  const table = renderTextTable(
    [...TASK_CONFLICT_COLUMNS],
    rows.map((row) => taskConflictCells(summary, row)),
    ['left', 'left', 'right', 'right', 'right'],
  );
  return ['', `task conflict: ${TASK_CONFLICT_HINT}`, table];
}

function verdicts(summary: ReportSummary): string[] {
  const { rows, tests, alpha } = summary.study.verdicts;
  if (rows.length === 0) return ['verdicts: one configuration only (or none completed): nothing to compare'];
  const byKey = new Map(summary.leaderboard.map((row) => [row.key, row]));
  const table = renderTextTable(
    ['head', 'A', 'B', 'A − B [95 % CI]', 'test', 'p (t)', 'p (Wilcoxon)', 'p (Holm)', 'verdict'],
    rows.map((row) => {
      const c = row.comparison;
      return [
        `${row.head} (${metricLabel(row.metric)})`,
        configName(summary, byKey.get(row.a)),
        configName(summary, byKey.get(row.b)),
        formatComparison(row.metric, c),
        c.kind === 'paired' ? `paired n=${c.nA}` : `Welch n=${c.nA}/${c.nB}`,
        formatP(c.pValue),
        formatP(c.wilcoxonPValue),
        formatP(row.adjustedP),
        row.verdict.text,
      ];
    }),
    ['left', 'left', 'left', 'right', 'left', 'right', 'right', 'right', 'left'],
  );
  return [
    `verdicts (${summary.objective.split} split; Holm–Bonferroni over ${tests} comparisons, α = ${alpha}; fewer than 3 runs a side: too small):`,
    table,
  ];
}

function leaderboard(summary: ReportSummary): string[] {
  const metrics = [
    summary.objective.metric,
    ...LEADERBOARD_METRICS.filter((m) => m !== summary.objective.metric),
  ].filter((metric) => summary.leaderboard.some((row) => row.stats[metric] !== undefined));
  const shown = summary.leaderboard.slice(0, TABLE_ROWS);
  const table = renderTextTable(
    ['#', ...summary.parameters.varying, 'runs', ...metrics.map((m) => `${metricLabel(m)} [95 % CI]`)],
    shown.map((row) => [
      String(row.rank),
      ...summary.parameters.varying.map((key) => formatParameterValue(row.config[key])),
      String(row.count),
      ...metrics.map((metric) => formatWithInterval(metric, row.stats[metric])),
    ]),
    [
      'right',
      ...summary.parameters.varying.map(() => 'left' as const),
      'right',
      ...metrics.map(() => 'right' as const),
    ],
  );
  const more = summary.leaderboard.length - shown.length;
  return [
    `leaderboard (${summary.leaderboard.length} configuration(s), best mean ${summary.objective.metric} first):`,
    table,
    ...(more > 0 ? [`… ${more} more (--format json or the web app lists all)`] : []),
  ];
}

function pareto(summary: ReportSummary): string[] {
  const { front, objectives, points } = summary.study.pareto;
  if (front.length === 0) return [];
  const byKey = new Map(summary.leaderboard.map((row) => [row.key, row]));
  const onFront = points.filter((point) => front.includes(point.key));
  return [
    '',
    `Pareto front over ${objectives.join(', ')} (configuration means, all minimised):`,
    renderTextTable(
      ['configuration', ...objectives],
      onFront.map((point) => [
        configName(summary, byKey.get(point.key)),
        ...objectives.map((axis) => {
          const value = point.values[axis] ?? Number.NaN;
          return axis.endsWith('_error')
            ? `${(value * 100).toFixed(2)} %`
            : String(Number(value.toPrecision(4)));
        }),
      ]),
      ['left', ...objectives.map(() => 'right' as const)],
    ),
  ];
}

function importance(summary: ReportSummary): string[] {
  const { parameters, seedNoise } = summary.study.importance;
  if (parameters.length === 0) return [];
  return [
    '',
    `parameter importance (share of ${summary.objective.metric}'s variance across runs, η²):`,
    ...parameters.map((p) => `  ${p.parameter}: ${(p.importance * 100).toFixed(1)} %`),
    ...(seedNoise !== null ? [`  seed (within configurations): ${(seedNoise * 100).toFixed(1)} %`] : []),
  ];
}
