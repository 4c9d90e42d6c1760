import {
  formatMetricValue,
  formatParameterValue,
  isRateMetric,
  type SampleComparison,
  type SampleSummary,
  type VerdictRow,
} from '@repo/metrics';
import { escapeHtml } from './escape.js';
import { formatMetric } from './format.js';
import { type LeaderboardRow, metricLabel, type ReportSummary } from './report-summary.js';

/** What each head's row compares, in the order a reader wants them. */
const HEAD_TITLES: Record<string, string> = {
  position: 'position',
  shape: 'shape',
  colour: 'colour',
  objective: 'objective',
};

/** A configuration named by its varying hyperparameters (`#1 arch mtl-seed`). */
export function configName(summary: ReportSummary, row: LeaderboardRow | undefined): string {
  if (row === undefined) return '?';
  const parts = summary.parameters.varying.map((key) => `${key} ${formatParameterValue(row.config[key])}`);
  return `#${row.rank}${parts.length > 0 ? ` ${parts.join(', ')}` : ''}`;
}

/** `4.12 [3.80, 4.44]`: a mean and its interval (t interval; none for one run). */
export function formatWithInterval(metric: string, stats: SampleSummary | undefined): string {
  if (stats === undefined) return '–';
  const value = formatMetric(metric, stats.mean);
  if (stats.ci95 === null) return value;
  const [low, high] = stats.ci95;
  return `${value} [${formatMetricValue(metric, low)}, ${formatMetricValue(metric, high)}]`;
}

/** A difference: rates in percentage points, other metrics in their unit. */
export function formatDifference(metric: string, value: number): string {
  const sign = value > 0 ? '+' : '';
  return `${sign}${formatMetricValue(metric, value)}${isRateMetric(metric) ? ' pp' : ''}`;
}

/** `-1.13 [-1.28, -0.99]`: a comparison's A − B with its 95 % interval (the difference alone without one). */
export function formatComparison(metric: string, c: SampleComparison): string {
  const diff = formatDifference(metric, c.meanDiff);
  return c.ci95
    ? `${diff} [${formatDifference(metric, c.ci95[0])}, ${formatDifference(metric, c.ci95[1])}]`
    : diff;
}

/** p-values to three significant digits, tiny ones as `< 0.001`. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return '–';
  return p < 0.001 ? '< 0.001' : String(Number(p.toPrecision(3)));
}

/** The verdict table: per head, the leader against each runner-up, with intervals and tests. */
export function renderVerdicts(summary: ReportSummary): string {
  const { verdicts } = summary.study;
  const byKey = new Map(summary.leaderboard.map((row) => [row.key, row]));
  if (verdicts.rows.length === 0) {
    const why =
      summary.leaderboard.length === 0
        ? 'no completed run yet'
        : 'one configuration only: nothing to compare (add a second configuration, or seeds with `repeats`)';
    return `<section id="verdicts"><h2>Verdicts</h2><p data-testid="no-verdicts">${escapeHtml(why)}.</p></section>`;
  }
  const rows = verdicts.rows.map((row) => verdictRow(summary, row, byKey));
  return (
    '<section id="verdicts"><h2>Verdicts</h2>' +
    `<p class="hint">Per head, the leading configuration (best mean ${escapeHtml(summary.objective.metric)} on the ${summary.objective.split} split) ` +
    'against each runner-up. Runs sharing a seed (same data, same seed) are compared in pairs: the mean difference ' +
    "A − B with its 95 % Student-t interval, the paired t-test, the exact Wilcoxon signed-rank test and Cohen's d; " +
    "runs that do not share seeds get Welch's t-test. " +
    `The t-test p-values are Holm–Bonferroni-corrected over the ${verdicts.tests} comparisons of this table; a verdict ` +
    `needs a corrected p below ${verdicts.alpha} and at least 3 runs a side, else it says what the data cannot show.</p>` +
    '<table id="verdict-table" data-testid="verdict-table"><thead><tr>' +
    [
      'head',
      'metric',
      'A',
      'B',
      'A mean [95 % CI]',
      'B mean [95 % CI]',
      'A − B [95 % CI]',
      'test',
      'p (t)',
      'p (Wilcoxon)',
      "Cohen's d",
      'p (Holm)',
      'verdict',
    ]
      .map((title) => `<th scope="col">${escapeHtml(title)}</th>`)
      .join('') +
    `</tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

function verdictRow(
  summary: ReportSummary,
  row: VerdictRow,
  byKey: ReadonlyMap<string, LeaderboardRow>,
): string {
  const a = byKey.get(row.a);
  const b = byKey.get(row.b);
  const { comparison: c, metric } = row;
  const test = c.kind === 'paired' ? `paired, n = ${c.nA}` : `Welch, n = ${c.nA} / ${c.nB}`;
  const cells = [
    HEAD_TITLES[row.head] ?? row.head,
    `${metricLabel(metric)} (${summary.objective.split}, ${row.direction === 'minimize' ? 'lower' : 'higher'} is better)`,
    configName(summary, a),
    configName(summary, b),
    formatWithInterval(metric, a?.stats[metric]),
    formatWithInterval(metric, b?.stats[metric]),
    formatComparison(metric, c),
    test,
    formatP(c.pValue),
    formatP(c.wilcoxonPValue),
    c.cohenD === undefined || c.cohenD === null ? '–' : c.cohenD.toFixed(2),
    formatP(row.adjustedP),
  ];
  return (
    `<tr data-testid="verdict-row" data-head="${escapeHtml(row.head)}" data-verdict="${escapeHtml(row.verdict.kind)}">` +
    cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('') +
    `<td class="verdict verdict-${escapeHtml(row.verdict.kind)}"><strong>${escapeHtml(row.verdict.text)}</strong></td></tr>`
  );
}

/** Axis titles of the Pareto coordinates. */
const PARETO_AXES: Record<string, string> = {
  position_mae_px: 'position MAE (px)',
  shape_error: 'shape error (%)',
  colour_error: 'colour error (%)',
  parameters: 'parameters',
  duration_s: 'training time (s)',
};

/** A Pareto coordinate as people read it (errors as percentages). */
function paretoValue(axis: string, value: number | undefined): string {
  if (value === undefined) return '–';
  if (axis === 'shape_error' || axis === 'colour_error') return `${(value * 100).toFixed(2)} %`;
  if (axis === 'parameters') return Math.round(value).toLocaleString('en-US');
  return formatMetricValue(axis, value);
}

/** Pareto fronts: a chart per pair (cost against each head's error, head against head) and the table. */
export function renderPareto(summary: ReportSummary): string {
  const { pareto } = summary.study;
  if (pareto.points.length === 0) return '';
  const onFront = new Set(pareto.front);
  const byKey = new Map(summary.leaderboard.map((row) => [row.key, row]));
  const charts = pareto.charts.map(
    (chart, i) =>
      `<figure class="chart" data-testid="pareto-chart"><figcaption>${escapeHtml(PARETO_AXES[chart.y] ?? chart.y)} against ${escapeHtml(PARETO_AXES[chart.x] ?? chart.x)} ` +
      `(${chart.front.length} on the front)</figcaption><div class="chart-box"><canvas data-pareto="${i}"></canvas></div></figure>`,
  );
  const rows = pareto.points
    .filter((point) => onFront.has(point.key))
    .map((point) => {
      const cells = pareto.objectives.map(
        (axis) =>
          `<td data-axis="${escapeHtml(axis)}">${escapeHtml(paretoValue(axis, point.values[axis]))}</td>`,
      );
      return `<tr data-testid="pareto-row"><td>${escapeHtml(configName(summary, byKey.get(point.key)))}</td>${cells.join('')}</tr>`;
    });
  return (
    '<section id="pareto"><h2>Trade-offs per head (Pareto fronts)</h2>' +
    `<p class="hint">Configuration means on the ${summary.objective.split} split; a configuration is on the front when no other is at least as good on every coordinate and better on one. ` +
    'Each chart highlights its own two-coordinate front; the table lists the front over all of them.</p>' +
    `<div class="charts">${charts.join('')}</div>` +
    `<table id="pareto-table"><thead><tr><th scope="col">configuration</th>${pareto.objectives
      .map((axis) => `<th scope="col">${escapeHtml(PARETO_AXES[axis] ?? axis)}</th>`)
      .join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** Parameter importance as a table with bars, and what repeats leave unexplained. */
export function renderImportance(summary: ReportSummary): string {
  const { importance } = summary.study;
  if (importance.parameters.length === 0) return '';
  // A <meter>, not a styled span: the page's Content-Security-Policy allows no inline styles.
  const bar = (share: number) =>
    `<meter min="0" max="1" value="${share.toFixed(4)}"></meter> ${(share * 100).toFixed(1)} %`;
  const rows = importance.parameters.map(
    (p) =>
      `<tr data-testid="importance-row" data-parameter="${escapeHtml(p.parameter)}"><td>${escapeHtml(p.parameter)}</td><td>${p.levels}</td><td class="share">${bar(p.importance)}</td></tr>`,
  );
  if (importance.seedNoise !== null)
    rows.push(
      `<tr><td><em>seed (within configurations)</em></td><td>–</td><td class="share">${bar(importance.seedNoise)}</td></tr>`,
    );
  return (
    '<section id="importance"><h2>Parameter importance</h2>' +
    `<p class="hint">Share of the variance of ${escapeHtml(summary.objective.metric)} across runs that each hyperparameter's levels explain ` +
    '(η², fANOVA-style main effects read from the runs; many-valued numbers in 4 bins by rank). Exact for a grid, an estimate for a random search; ' +
    'the seed row is the variance left between repeats of one configuration.</p>' +
    `<table id="importance-table"><thead><tr><th scope="col">hyperparameter</th><th scope="col">levels</th><th scope="col">variance explained</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}
