import { escapeHtml, jsonForScript } from './escape.js';
import { formatMetric } from './format.js';
import { renderHeadHeatmaps } from './render-heatmap.js';
import { renderSamples } from './render-samples.js';
import type { ReportSummary } from './report-summary.js';
import type { RunView } from './report-view.js';
import type { SweepView } from './sweep-view.js';

/**
 * One run in detail, as fetched when it is opened: confusion matrices, learning-curve, loss-weight and error charts
 * (their data in a JSON script beside them), sample predictions.
 */
export function renderRunDetail(
  run: RunView,
  summary: Pick<ReportSummary, 'objective'>,
  samples: SweepView['samples'],
  options: { imageDefs?: boolean } = {},
): string {
  const id = escapeHtml(run.trialId);
  const { metric } = summary.objective;
  const data = {
    trialId: run.trialId,
    history: run.history,
    fineTuneHistory: run.fineTuneHistory ?? [],
    errors: run.predictions?.errors ?? null,
  };
  return (
    `<article class="run" id="run-${id}" data-trial="${id}" data-testid="run-details">` +
    `<h3>${id}: ${escapeHtml(metric)} ${escapeHtml(formatMetric(metric, run.metrics[metric]))} (${summary.objective.split})` +
    `${run.seed !== undefined ? ` · seed ${run.seed}` : ''}</h3>` +
    `<h4>Confusion matrices (test split)</h4>${renderHeadHeatmaps(run.confusion)}` +
    '<h4>Learning curves (train vs val)</h4><div class="charts">' +
    runHeads(run)
      .map(
        (head) =>
          `<figure class="chart"><figcaption>${head}</figcaption><div class="chart-box"><canvas data-curve="${head}"></canvas></div></figure>`,
      )
      .join('') +
    '</div>' +
    (run.history.some((entry) => entry.lossWeights !== undefined)
      ? '<h4>Loss weights per head (end of each epoch)</h4><figure class="chart" data-testid="loss-weights"><div class="chart-box"><canvas data-weights></canvas></div></figure>'
      : '') +
    (run.history.some((entry) => entry.taskConflict !== undefined)
      ? '<h4>Task conflict: cosine of each pair of heads’ gradients on the shared backbone (fixed training batch)</h4><figure class="chart" data-testid="task-conflict"><div class="chart-box"><canvas data-conflict></canvas></div></figure>'
      : '') +
    (run.predictions
      ? (run.predictions.errors
          ? '<h4>Position error distribution (test split, px)</h4><figure class="chart"><div class="chart-box"><canvas data-errors></canvas></div></figure>'
          : '') +
        `<h4>Sample test images (green: true position, red: predicted)</h4>${(options.imageDefs ?? true) ? samplesDefs(samples) : ''}${renderSamples(samples, run)}`
      : '<p class="hint">No predictions.json for this run: no sample images or error distribution.</p>') +
    `<script type="application/json" class="run-data">${jsonForScript(data)}</script></article>`
  );
}

/** The heads the run has, in model order: all three, or a single-task baseline's one. */
function runHeads(run: RunView): string[] {
  return [
    ...(run.position ? ['position'] : []),
    ...(run.confusion.shape ? ['shape'] : []),
    ...(run.confusion.colour ? ['colour'] : []),
  ];
}

/** The sample images the drawings `<use>`: once per fetched detail, once per page that embeds many. */
export function samplesDefs(samples: SweepView['samples']): string {
  if (samples.images.length === 0) return '';
  const size = samples.imageSize;
  const images = samples.images.map(
    (image) =>
      `<image id="sample-image-${image.index}" href="${escapeHtml(image.src)}" width="${size}" height="${size}"/>`,
  );
  return `<svg class="defs" width="0" height="0" aria-hidden="true"><defs>${images.join('')}</defs></svg>`;
}
