import type { ClassificationReport } from './classification-report.js';
import { combinedScore } from './objective.js';
import type { CompletedRunRecord } from './run-record.js';

/**
 * Every scalar of a completed run, by flat name: `position_mae_px` (+ `_x`, `_y`), `position_mae_norm`
 * (+ `_x`, `_y`), `position_euclid_px_median`, `position_euclid_px_p90`; per classification head
 * (`shape`, `colour`): `_acc`, `_macro_{precision,recall,f1}`, `_weighted_{…}`, `_<label>_{…}`;
 * `combined` (the default objective, over the heads the run has), `epochs` (trained, fine-tuning
 * excluded), `duration_s`, and `parameters` when the record has the model's size. A head the run lacks
 * (a single-task baseline) has no metrics here: absent, so tables show "–" and aggregates skip it.
 */
export function runMetrics(record: CompletedRunRecord): Record<string, number> {
  const { position, shape, colour } = record.test;
  const metrics: Record<string, number> = {};
  if (position) {
    Object.assign(metrics, {
      position_mae_px: position.maePx.mean,
      position_mae_px_x: position.maePx.x,
      position_mae_px_y: position.maePx.y,
      position_mae_norm: position.maeNorm.mean,
      position_mae_norm_x: position.maeNorm.x,
      position_mae_norm_y: position.maeNorm.y,
      position_euclid_px_median: position.euclideanPx.median,
      position_euclid_px_p90: position.euclideanPx.p90,
    });
  }
  if (shape) addHead(metrics, 'shape', shape);
  if (colour) addHead(metrics, 'colour', colour);
  metrics.combined = combinedScore(metrics);
  metrics.epochs = record.history.length;
  metrics.duration_s = (Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000;
  if (record.parameters !== undefined) metrics.parameters = record.parameters;
  return metrics;
}

function addHead(metrics: Record<string, number>, head: string, report: ClassificationReport): void {
  metrics[`${head}_acc`] = report.accuracy;
  for (const [name, row] of [
    ['macro', report.macro],
    ['weighted', report.weighted],
    ...report.perClass.map((r) => [r.label, r] as const),
  ] as const) {
    metrics[`${head}_${name}_precision`] = row.precision;
    metrics[`${head}_${name}_recall`] = row.recall;
    metrics[`${head}_${name}_f1`] = row.f1;
  }
}
