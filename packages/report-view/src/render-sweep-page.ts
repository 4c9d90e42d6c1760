import { formatParameterValue } from '@repo/metrics';
import { escapeHtml, jsonForScript } from './escape.js';
import { formatMetric } from './format.js';
import type { PageAssets } from './page-assets.js';
import { renderDocument } from './page-document.js';
import { renderHeadHeatmaps } from './render-heatmap.js';
import { renderParallelCoordinates } from './render-parallel-coordinates.js';
import { renderRunDetail, samplesDefs } from './render-run-detail.js';
import { renderSharing } from './render-sharing.js';
import {
  configName,
  formatWithInterval,
  renderImportance,
  renderPareto,
  renderVerdicts,
} from './render-study.js';
import { renderTaskConflict } from './render-task-conflict.js';
import { metricLabel, type ReportSummary, RUN_ROW_METRICS, type RunRow } from './report-summary.js';
import type { RunView } from './report-view.js';
import type { SweepView } from './sweep-view.js';

export interface SweepPageOptions {
  assets: PageAssets;
  /** Server pages: poll this URL for fresh content while the sweep runs. */
  refreshUrl?: string;
  /** Server pages: the re-aggregate action's URL (a JSON POST); omitted in a self-contained file. */
  reaggregateUrl?: string;
  /** Server pages: links to the sweeps list, the queues and the raw files. */
  links?: boolean;
  /** Server pages: a banner above the report (see `renderQueueNotice`). */
  notice?: string;
  /**
   * Server pages: where rows and run details are fetched on demand: `${base}/runs?page=N`,
   * `${base}/leaderboard?page=N` (HTML rows) and `${base}/runs/<trial>` (one run's details).
   */
  fetchBase?: string;
  /** Self-contained pages: runs whose details are embedded (the rest are named as left out). */
  details?: { runs: readonly RunView[]; samples: SweepView['samples'] };
}

/** Leaderboard rows on the first load; the rest come a page at a time. */
export const LEADERBOARD_PAGE_SIZE = 100;

/** Columns of the leaderboard after the objective. */
const LEADERBOARD_METRICS = ['position_mae_px', 'shape_acc', 'colour_acc', 'parameters', 'duration_s'];

/** A sweep's report as a whole HTML page. */
export function renderSweepPage(summary: ReportSummary, options: SweepPageOptions): string {
  const live = summary.state === 'running' || summary.state === 'queued';
  return renderDocument({
    title: `${summary.name} · sweep report`,
    main: renderSweepContent(summary, options),
    assets: options.assets,
    ...(live && options.refreshUrl ? { refreshUrl: options.refreshUrl } : {}),
    ...(options.notice ? { notice: options.notice } : {}),
    nav: options.links ?? false,
  });
}

/** The page's `<main>` content: what a running sweep's page swaps in when it changes. */
export function renderSweepContent(
  summary: ReportSummary,
  options: Omit<SweepPageOptions, 'assets'> = {},
): string {
  const embedded = options.details !== undefined;
  return [
    renderHeader(summary, options),
    renderSharing(summary),
    renderVerdicts(summary),
    renderLeaderboard(
      summary,
      embedded ? summary.leaderboard.length : LEADERBOARD_PAGE_SIZE,
      options.fetchBase,
    ),
    renderPareto(summary),
    renderTaskConflict(summary),
    renderParallelCoordinates(summary),
    renderImportance(summary),
    renderOverview(summary),
    renderRuns(summary, options),
    renderGroupMatrices(summary),
    renderLeftOut(summary),
    `<script type="application/json" id="sweep-data">${jsonForScript(chartData(summary))}</script>`,
  ].join('\n');
}

function renderHeader(summary: ReportSummary, options: Omit<SweepPageOptions, 'assets'>): string {
  const { counts, objective } = summary;
  const constants = Object.entries(summary.parameters.constant)
    .map(([key, value]) => `${key} ${formatParameterValue(value)}`)
    .join(' · ');
  const best = summary.best.map(
    (figure) =>
      `<li data-testid="best">best ${escapeHtml(figure.metric)} on ${figure.split} (${figure.direction === 'minimize' ? 'lowest' : 'highest'}): ` +
      `<strong>${escapeHtml(formatMetric(figure.metric, figure.value))}</strong>, trial <code>${escapeHtml(figure.trialId)}</code></li>`,
  );
  const facts = [
    `<span class="state state-${escapeHtml(summary.state)}" data-testid="state">${escapeHtml(summary.state)}</span>`,
    `trials ${counts.trials} · completed ${counts.completed} · failed ${counts.failed} · pending ${counts.pending}` +
      (counts.stopped > 0 ? ` · stopped ${counts.stopped}` : '') +
      (counts.cancelled > 0 ? ` · cancelled ${counts.cancelled}` : '') +
      (counts.invalid > 0 ? ` · invalid ${counts.invalid}` : ''),
    `objective <code>${escapeHtml(objective.metric)}</code> on ${objective.split} (${objective.direction})`,
    summary.datasetId ? `dataset <code>${escapeHtml(summary.datasetId.slice(0, 12))}</code>` : '',
    summary.provisional ? 'not reported yet' : `reported ${escapeHtml(summary.generatedAt)}`,
  ].filter((fact) => fact !== '');
  const links = options.links
    ? `<p class="links"><a href="/api/sweeps/${encodeURIComponent(summary.sweepId)}">JSON</a> ` +
      `<a href="/artifacts/${encodeURIComponent(summary.sweepId)}/report.json">report.json</a></p>`
    : '';
  const action = options.reaggregateUrl
    ? `<button type="button" id="reaggregate" data-url="${escapeHtml(options.reaggregateUrl)}">Re-aggregate</button><span id="reaggregate-status" role="status"></span>`
    : '';
  return (
    `<section class="summary"><h2 data-testid="sweep-name">${escapeHtml(summary.name)}</h2>` +
    `<p class="sweep-id">sweep <code>${escapeHtml(summary.sweepId)}</code></p>` +
    `<p>${facts.join(' · ')}</p>` +
    (summary.comparison
      ? `<p data-testid="comparison">comparing ${summary.comparison.sweeps.map((s) => `<code>${escapeHtml(s.sweepId)}</code> (${escapeHtml(s.name)})`).join(', ')}: ` +
        `configurations carry their sweep as the <code>sweep</code> hyperparameter; ${summary.comparison.paired ? 'every sweep trained on one dataset, so runs pair by seed' : 'the sweeps trained on different datasets, so runs are compared unpaired (Welch)'}.</p>`
      : '') +
    (constants ? `<p data-testid="constants">every configuration: ${escapeHtml(constants)}</p>` : '') +
    (best.length > 0 ? `<ul class="best">${best.join('')}</ul>` : '') +
    `${links}${action}</section>`
  );
}

function leaderboardColumns(summary: ReportSummary): string[] {
  const present = (metric: string) => summary.leaderboard.some((row) => row.stats[metric] !== undefined);
  return [
    summary.objective.metric,
    ...LEADERBOARD_METRICS.filter((m) => m !== summary.objective.metric),
  ].filter(present);
}

/** Leaderboard rows `start`…`start + count` as `<tr>`s (a page fetched on demand uses the same). */
export function renderLeaderboardRows(summary: ReportSummary, start: number, count: number): string {
  const metrics = leaderboardColumns(summary);
  return summary.leaderboard
    .slice(start, start + count)
    .map((row) => {
      const params = summary.parameters.varying.map((key) => {
        const value = formatParameterValue(row.config[key]);
        return `<td class="param" data-sort="${escapeHtml(sortKey(row.config[key]))}">${escapeHtml(value)}</td>`;
      });
      const cells = metrics.map((metric) => {
        const stats = row.stats[metric];
        return `<td data-sort="${stats?.mean ?? ''}" data-metric="${escapeHtml(metric)}">${escapeHtml(formatWithInterval(metric, stats))}</td>`;
      });
      return (
        `<tr data-testid="leaderboard-row" data-rank="${row.rank}"><td data-sort="${row.rank}">${row.rank}</td>` +
        `${params.join('')}<td data-sort="${row.count}">${row.count}</td>${cells.join('')}</tr>`
      );
    })
    .join('');
}

function renderLeaderboard(summary: ReportSummary, shown: number, fetchBase: string | undefined): string {
  const metrics = leaderboardColumns(summary);
  const head = [
    sortableHeader('#', 'num'),
    ...summary.parameters.varying.map((key) => sortableHeader(key, 'text')),
    sortableHeader('runs', 'num'),
    ...metrics.map((metric) => sortableHeader(`${metricLabel(metric)} [95 % CI]`, 'num')),
  ].join('');
  const total = summary.leaderboard.length;
  const more =
    total > shown && fetchBase
      ? `<button type="button" class="more" data-testid="leaderboard-more" data-url="${escapeHtml(`${fetchBase}/leaderboard`)}" data-table="leaderboard" data-next="2">show ${Math.min(LEADERBOARD_PAGE_SIZE, total - shown)} more of ${total - shown}</button>`
      : '';
  return (
    '<section><h2>Leaderboard</h2>' +
    `<p class="hint">One row per configuration (seeds pooled), best mean ${escapeHtml(summary.objective.metric)} first: mean over its runs on the ${summary.objective.split} split with its 95 % Student-t interval. ` +
    'Only the hyperparameters that vary are columns; the shared ones are above. Click a header to sort the rows shown.</p>' +
    `<table class="sortable" id="leaderboard" data-testid="leaderboard"><thead><tr>${head}</tr></thead><tbody>${renderLeaderboardRows(summary, 0, shown)}</tbody></table>` +
    `${total === 0 ? '<p>No completed run yet.</p>' : ''}${more}</section>`
  );
}

/** Runs table rows of one page (1-based), as `<tr>`s. */
export function renderRunRows(summary: ReportSummary, page: number): string {
  const { pageSize } = summary.runs;
  const byRank = new Map(summary.leaderboard.map((row) => [row.rank, row]));
  return summary.runs.rows
    .slice((page - 1) * pageSize, page * pageSize)
    .map((run) => runRow(summary, run, byRank.get(run.rank)))
    .join('');
}

function runRow(
  summary: ReportSummary,
  run: RunRow,
  group: ReportSummary['leaderboard'][number] | undefined,
): string {
  const metrics = [
    summary.objective.metric,
    ...RUN_ROW_METRICS.filter((m) => m !== summary.objective.metric),
  ];
  const cells = metrics.map((metric) => {
    const value = run.metrics[metric];
    const text = metric === 'epochs' ? String(value ?? '–') : formatMetric(metric, value);
    return `<td data-sort="${value ?? ''}" data-metric="${escapeHtml(metric)}">${escapeHtml(text)}</td>`;
  });
  const id = escapeHtml(run.trialId);
  return (
    `<tr data-testid="run-row" data-trial="${id}"><td data-sort="${id}"><button type="button" class="open-run" data-trial="${id}">${id}</button></td>` +
    `<td data-sort="${run.seed ?? ''}">${run.seed ?? '–'}</td><td data-sort="${run.rank}">${escapeHtml(configName(summary, group))}</td>${cells.join('')}</tr>`
  );
}

function renderRuns(summary: ReportSummary, options: Omit<SweepPageOptions, 'assets'>): string {
  if (summary.runs.total === 0) return '';
  const metrics = [
    summary.objective.metric,
    ...RUN_ROW_METRICS.filter((m) => m !== summary.objective.metric),
  ];
  const embedded = options.details;
  const rows = embedded
    ? Array.from({ length: summary.runs.pages }, (_, i) => renderRunRows(summary, i + 1)).join('')
    : renderRunRows(summary, 1);
  const more =
    !embedded && summary.runs.pages > 1 && options.fetchBase
      ? `<button type="button" class="more" data-testid="runs-more" data-url="${escapeHtml(`${options.fetchBase}/runs`)}" data-table="runs" data-next="2" data-pages="${summary.runs.pages}">next ${summary.runs.pageSize} of ${summary.runs.total - summary.runs.pageSize} more runs</button>`
      : '';
  const details = embedded
    ? samplesDefs(embedded.samples) +
      embedded.runs
        .map((run) => renderRunDetail(run, summary, embedded.samples, { imageDefs: false }))
        .join('') +
      (embedded.runs.length < summary.runs.total
        ? `<p class="hint">Details of the best ${embedded.runs.length} runs are in this file; those of all ${summary.runs.total} are in the web app (<code>mtl serve</code>) and in <code>report-runs/</code> beside report.json.</p>`
        : '')
    : '';
  return (
    '<section id="runs-section"><h2>Runs</h2>' +
    `<p class="hint">Every completed run, best ${escapeHtml(summary.objective.metric)} first (${summary.objective.split} split). Open a run for its learning curves, confusion matrices, error distribution and sample predictions.</p>` +
    `<table class="sortable" id="runs" data-testid="runs"${options.fetchBase ? ` data-detail-url="${escapeHtml(`${options.fetchBase}/runs/`)}"` : ''}><thead><tr>` +
    `${sortableHeader('trial', 'text')}${sortableHeader('seed', 'num')}${sortableHeader('configuration', 'num')}` +
    `${metrics.map((metric) => sortableHeader(metricLabel(metric), 'num')).join('')}</tr></thead><tbody>${rows}</tbody></table>${more}` +
    `<div id="run-detail" data-testid="run-detail-panel">${details}</div></section>`
  );
}

function renderOverview(summary: ReportSummary): string {
  if (summary.runs.total === 0 || summary.parameters.varying.length === 0) return '';
  const options = summary.parameters.varying
    .map((key) => `<option value="${escapeHtml(key)}">${escapeHtml(key)}</option>`)
    .join('');
  return (
    '<section><h2>Hyperparameter vs objective</h2><div class="charts">' +
    `<figure class="chart"><figcaption>${escapeHtml(summary.objective.metric)} (${summary.objective.split}) per run against ` +
    `<select id="hp-select" aria-label="hyperparameter">${options}</select></figcaption><div class="chart-box"><canvas id="hp-chart"></canvas></div></figure>` +
    '</div></section>'
  );
}

function renderGroupMatrices(summary: ReportSummary): string {
  const groups = summary.leaderboard.filter((row) => row.confusion !== undefined);
  if (groups.length === 0) return '';
  const items = groups.map(
    (row, i) =>
      `<details class="group" data-testid="group-matrices"${i === 0 ? ' open' : ''}><summary>${escapeHtml(configName(summary, row))} — ${row.count} run${row.count === 1 ? '' : 's'} summed</summary>` +
      `${renderHeadHeatmaps(row.confusion!)}</details>`,
  );
  return `<section><h2>Confusion matrices per configuration (test split)</h2>${items.join('')}</section>`;
}

function renderLeftOut(summary: ReportSummary): string {
  const items = [
    ...summary.failed.map(
      (entry) =>
        `<li data-testid="failed-trial"><strong>failed</strong> ${escapeHtml(entry.trialId)}: ${escapeHtml(entry.reason)}</li>`,
    ),
    ...summary.stopped.map(
      (entry) =>
        `<li><strong>stopped-early-by-scheduler</strong> ${escapeHtml(entry.trialId)} after ${entry.epochs} epoch(s)` +
        (entry.reason ? `: ${escapeHtml(entry.reason)}` : '') +
        '</li>',
    ),
    ...summary.cancelled.map(
      (entry) =>
        `<li><strong>cancelled</strong> ${escapeHtml(entry.trialId)}: ${escapeHtml(entry.reason)}</li>`,
    ),
    ...summary.pending.map((trialId) => `<li><strong>pending</strong> ${escapeHtml(trialId)}</li>`),
  ];
  return items.length > 0 ? `<section><h2>Not in the averages</h2><ul>${items.join('')}</ul></section>` : '';
}

function sortableHeader(title: string, kind: 'num' | 'text'): string {
  return `<th scope="col" data-sort-kind="${kind}"><button type="button">${escapeHtml(title)}</button></th>`;
}

function sortKey(value: unknown): string {
  return typeof value === 'number' ? value.toExponential(6).padStart(16, ' ') : JSON.stringify(value ?? null);
}

/** What the page script draws: the hyperparameter scatter and the Pareto charts. */
function chartData(summary: ReportSummary) {
  const { objective, parameters, study } = summary;
  const rankOf = new Map(summary.leaderboard.map((row) => [row.key, row.rank]));
  return {
    objective,
    hyperparameters: parameters.varying,
    configs: summary.leaderboard.map((row) => ({
      rank: row.rank,
      name: configName(summary, row),
      config: Object.fromEntries(parameters.varying.map((key) => [key, row.config[key] ?? null])),
    })),
    runs: summary.runs.rows.map((run) => [run.rank, run.metrics[objective.metric] ?? null, run.trialId]),
    pareto: {
      charts: study.pareto.charts.map((chart) => ({
        ...chart,
        front: chart.front.map((key) => rankOf.get(key)),
      })),
      points: study.pareto.points.map((point) => ({ rank: rankOf.get(point.key), values: point.values })),
    },
  };
}
