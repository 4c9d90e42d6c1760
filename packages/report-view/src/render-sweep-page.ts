import { describeConfig, type RunGroup } from '@repo/metrics';
import { escapeHtml, jsonForScript } from './escape.js';
import { formatMeanStd, formatMetric } from './format.js';
import type { PageAssets } from './page-assets.js';
import { renderDocument } from './page-document.js';
import { renderHeadHeatmaps } from './render-heatmap.js';
import { renderSamples } from './render-samples.js';
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
}

/** Metrics of the leaderboard and runs tables after the objective. */
const TABLE_METRICS = ['position_mae_px', 'shape_acc', 'colour_acc'] as const;

/** A sweep's report as a whole HTML page. */
export function renderSweepPage(view: SweepView, options: SweepPageOptions): string {
  const live = view.state === 'running' || view.state === 'queued';
  return renderDocument({
    title: `${view.name} · sweep report`,
    main: renderSweepContent(view, options),
    assets: options.assets,
    ...(live && options.refreshUrl ? { refreshUrl: options.refreshUrl } : {}),
    nav: options.links ?? false,
  });
}

/** The page's `<main>` content: what a running sweep's page swaps in when it changes. */
export function renderSweepContent(view: SweepView, options: Omit<SweepPageOptions, 'assets'> = {}): string {
  return [
    renderHeader(view, options),
    renderLeaderboard(view),
    renderRunsTable(view),
    renderCharts(view),
    renderGroupMatrices(view),
    renderRunDetails(view),
    renderLeftOut(view),
    `<script type="application/json" id="sweep-data">${jsonForScript(chartData(view))}</script>`,
  ].join('\n');
}

function renderHeader(view: SweepView, options: Omit<SweepPageOptions, 'assets'>): string {
  const { counts } = view;
  const facts = [
    `<span class="state state-${escapeHtml(view.state)}" data-testid="state">${escapeHtml(view.state)}</span>`,
    `trials ${counts.trials} · completed ${counts.completed} · failed ${counts.failed} · pending ${counts.pending}` +
      (counts.stopped > 0 ? ` · stopped ${counts.stopped}` : '') +
      (counts.cancelled > 0 ? ` · cancelled ${counts.cancelled}` : '') +
      (view.aggregate.counts.invalid > 0 ? ` · invalid ${view.aggregate.counts.invalid}` : ''),
    `objective <code>${escapeHtml(view.objective.metric)}</code> (${view.objective.direction})`,
    view.datasetId ? `dataset <code>${escapeHtml(view.datasetId.slice(0, 12))}</code>` : '',
    view.provisional ? 'not reported yet' : `reported ${escapeHtml(view.generatedAt)}`,
  ].filter((fact) => fact !== '');
  const links = options.links
    ? `<p class="links"><a href="/api/sweeps/${encodeURIComponent(view.sweepId)}">JSON</a> ` +
      `<a href="/artifacts/${encodeURIComponent(view.sweepId)}/report.json">report.json</a></p>`
    : '';
  const action = options.reaggregateUrl
    ? `<button type="button" id="reaggregate" data-url="${escapeHtml(options.reaggregateUrl)}">Re-aggregate</button><span id="reaggregate-status" role="status"></span>`
    : '';
  return (
    `<section class="summary"><h2 data-testid="sweep-name">${escapeHtml(view.name)}</h2>` +
    `<p class="sweep-id">sweep <code>${escapeHtml(view.sweepId)}</code></p>` +
    `<p>${facts.join(' · ')}</p>${links}${action}</section>`
  );
}

function renderLeaderboard(view: SweepView): string {
  const metrics = metricColumns(view);
  const head = metrics.map((metric) => sortableHeader(metric, 'num')).join('');
  const rows = view.aggregate.leaderboard.map((group, i) => {
    const cells = metrics.map((metric) => {
      const summary = group.metrics[metric];
      return summary
        ? `<td data-sort="${summary.mean}">${escapeHtml(formatMeanStd(metric, summary.mean, summary.std))}</td>`
        : '<td data-sort="">–</td>';
    });
    return (
      `<tr data-testid="leaderboard-row"><td data-sort="${i + 1}">${i + 1}</td>` +
      `<td class="config" data-sort="${escapeHtml(describeConfig(group.config))}">${escapeHtml(describeConfig(group.config))}</td>` +
      `<td data-sort="${group.count}">${group.count}</td>${cells.join('')}</tr>`
    );
  });
  return (
    '<section><h2>Leaderboard</h2><p class="hint">One row per configuration (seeds pooled): mean ± sample std over its runs. Click a header to sort.</p>' +
    '<table class="sortable" id="leaderboard"><thead><tr>' +
    `${sortableHeader('#', 'num')}${sortableHeader('config', 'text')}${sortableHeader('runs', 'num')}${head}` +
    `</tr></thead><tbody>${rows.join('')}</tbody></table>${view.aggregate.leaderboard.length === 0 ? '<p>No completed run yet.</p>' : ''}</section>`
  );
}

function renderRunsTable(view: SweepView): string {
  const objective = view.objective.metric;
  const columns: [string, (run: RunView) => number | undefined, string][] = [
    [objective, (run) => run.metrics[objective], objective],
    ['MAE x px', (run) => run.position.maePx.x, 'position_mae_px_x'],
    ['MAE y px', (run) => run.position.maePx.y, 'position_mae_px_y'],
    ['MAE px', (run) => run.position.maePx.mean, 'position_mae_px'],
    ['error median px', (run) => run.position.euclideanPx.median, 'position_euclid_px_median'],
    ['error p90 px', (run) => run.position.euclideanPx.p90, 'position_euclid_px_p90'],
    ['shape acc', (run) => run.metrics.shape_acc, 'shape_acc'],
    ['colour acc', (run) => run.metrics.colour_acc, 'colour_acc'],
    ['epochs', (run) => run.metrics.epochs, 'epochs'],
  ];
  const rows = view.runs.map((run) => {
    const cells = columns.map(([, value, metric]) => {
      const v = value(run);
      return `<td data-sort="${v ?? ''}" data-metric="${escapeHtml(metric)}">${escapeHtml(metric === 'epochs' ? String(v ?? '–') : formatMetric(metric, v))}</td>`;
    });
    return (
      `<tr data-testid="run-row" data-trial="${escapeHtml(run.trialId)}"><td data-sort="${escapeHtml(run.trialId)}"><a href="#run-${escapeHtml(run.trialId)}">${escapeHtml(run.trialId)}</a></td>` +
      `<td data-sort="${run.seed ?? ''}">${run.seed ?? '–'}</td><td class="config" data-sort="${escapeHtml(describeConfig(run.config))}">${escapeHtml(describeConfig(run.config))}</td>${cells.join('')}</tr>`
    );
  });
  return (
    '<section><h2>Runs and position MAE</h2><table class="sortable" id="runs"><thead><tr>' +
    `${sortableHeader('trial', 'text')}${sortableHeader('seed', 'num')}${sortableHeader('config', 'text')}` +
    `${columns.map(([title]) => sortableHeader(title, 'num')).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

function renderCharts(view: SweepView): string {
  if (view.runs.length === 0) return '';
  const options = view.hyperparameters
    .map((key) => `<option value="${escapeHtml(key)}">${escapeHtml(key)}</option>`)
    .join('');
  const scatter =
    view.hyperparameters.length > 0
      ? `<figure class="chart"><figcaption>Hyperparameter vs ${escapeHtml(view.objective.metric)} (one dot per run) ` +
        `<select id="hp-select" aria-label="hyperparameter">${options}</select></figcaption><div class="chart-box"><canvas id="hp-chart"></canvas></div></figure>`
      : '<p class="hint">Every run shares one configuration: no hyperparameter to plot.</p>';
  return (
    '<section><h2>Overview</h2><div class="charts">' +
    `${scatter}<figure class="chart"><figcaption>Position MAE per run (px)</figcaption><div class="chart-box"><canvas id="mae-chart"></canvas></div></figure>` +
    '</div></section>'
  );
}

function renderGroupMatrices(view: SweepView): string {
  if (view.aggregate.leaderboard.length === 0) return '';
  const groups = view.aggregate.leaderboard.map((group: RunGroup, i) => {
    const confusion = {
      shape: { ...group.confusion.shape, counts: group.confusion.shape.summed },
      colour: { ...group.confusion.colour, counts: group.confusion.colour.summed },
    };
    return (
      `<details class="group" data-testid="group-matrices"${i === 0 ? ' open' : ''}><summary>#${i + 1} ${escapeHtml(describeConfig(group.config))} — ${group.count} run${group.count === 1 ? '' : 's'} summed</summary>` +
      `${renderHeadHeatmaps(confusion)}</details>`
    );
  });
  return `<section><h2>Confusion matrices per configuration</h2>${groups.join('')}</section>`;
}

function renderRunDetails(view: SweepView): string {
  if (view.runs.length === 0) return '';
  const runs = view.runs.map((run, i) => {
    const id = escapeHtml(run.trialId);
    return (
      `<details class="run" id="run-${id}" data-trial="${id}" data-testid="run-details"${i === 0 ? ' open' : ''}>` +
      `<summary>${id} — ${escapeHtml(view.objective.metric)} ${escapeHtml(formatMetric(view.objective.metric, run.metrics[view.objective.metric]))} · ${escapeHtml(describeConfig(run.config))}${run.seed !== undefined ? ` · seed ${run.seed}` : ''}</summary>` +
      `<h3>Confusion matrices (test split)</h3>${renderHeadHeatmaps(run.confusion)}` +
      '<h3>Learning curves (train vs val)</h3><div class="charts">' +
      ['position', 'shape', 'colour']
        .map(
          (head) =>
            `<figure class="chart"><figcaption>${head}</figcaption><div class="chart-box"><canvas data-curve="${head}" data-trial="${id}"></canvas></div></figure>`,
        )
        .join('') +
      '</div>' +
      (run.predictions
        ? `<h3>Position error distribution (test split, px)</h3><figure class="chart"><div class="chart-box"><canvas data-errors="${id}"></canvas></div></figure>` +
          `<h3>Sample test images (green: true position, red: predicted)</h3>${renderSamples(view, run)}`
        : '<p class="hint">No predictions.json for this run: no sample images or error distribution.</p>') +
      '</details>'
    );
  });
  return `<section><h2>Runs in detail</h2>${samplesDefs(view)}${runs.join('')}</section>`;
}

/** Each sample image once, `<use>`d by every run's drawing. */
function samplesDefs(view: SweepView): string {
  if (view.samples.images.length === 0) return '';
  const size = view.samples.imageSize;
  const images = view.samples.images.map(
    (image) =>
      `<image id="sample-image-${image.index}" href="${escapeHtml(image.src)}" width="${size}" height="${size}"/>`,
  );
  return `<svg class="defs" width="0" height="0" aria-hidden="true"><defs>${images.join('')}</defs></svg>`;
}

function renderLeftOut(view: SweepView): string {
  const items = [
    ...view.failed.map(
      (entry) =>
        `<li data-testid="failed-trial"><strong>failed</strong> ${escapeHtml(entry.trialId)}: ${escapeHtml(entry.reason)}</li>`,
    ),
    ...view.stopped.map(
      (entry) =>
        `<li><strong>stopped-early-by-scheduler</strong> ${escapeHtml(entry.trialId)} after ${entry.epochs} epoch(s)` +
        (entry.reason ? `: ${escapeHtml(entry.reason)}` : '') +
        '</li>',
    ),
    ...view.cancelled.map(
      (entry) =>
        `<li><strong>cancelled</strong> ${escapeHtml(entry.trialId)}: ${escapeHtml(entry.reason)}</li>`,
    ),
    ...view.pending.map((trialId) => `<li><strong>pending</strong> ${escapeHtml(trialId)}</li>`),
  ];
  return items.length > 0 ? `<section><h2>Not in the averages</h2><ul>${items.join('')}</ul></section>` : '';
}

function sortableHeader(title: string, kind: 'num' | 'text'): string {
  return `<th scope="col" data-sort-kind="${kind}"><button type="button">${escapeHtml(title)}</button></th>`;
}

function metricColumns(view: SweepView): string[] {
  return [view.objective.metric, ...TABLE_METRICS].filter((metric, i, all) => all.indexOf(metric) === i);
}

/** What the page script draws: learning curves, error histograms, the overview charts. */
function chartData(view: SweepView) {
  return {
    objective: view.objective,
    hyperparameters: view.hyperparameters,
    runs: view.runs.map((run) => ({
      trialId: run.trialId,
      config: run.config,
      objective: run.metrics[view.objective.metric] ?? null,
      mae: run.position.maePx.mean,
      history: run.history,
      fineTuneHistory: run.fineTuneHistory ?? [],
      errors: run.predictions?.errors ?? null,
    })),
  };
}
