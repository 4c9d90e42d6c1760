import { type HistoryEntry, METRIC_NAMES } from '@repo/model/config';

/**
 * Metrics a search or scheduler may optimise: validation figures only (`val_loss`, `val_shape_acc`, …),
 * so the test split never steers which trials go on.
 */
export const OBJECTIVE_METRICS = METRIC_NAMES.map((name) => `val_${name}` as const);
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];

/** Whether lower (`min`) or higher (`max`) values of the metric are better. */
export type Mode = 'min' | 'max';

/** The metric's value in an epoch of history; NaN when the epoch lacks it. */
export function metricValue(entry: HistoryEntry, metric: ObjectiveMetric): number {
  return entry.val[metric.slice('val_'.length)] ?? Number.NaN;
}

/** Whether `a` is strictly better than `b`; NaN (a diverged trial) is worse than any number. */
export function isBetter(a: number, b: number, mode: Mode): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return mode === 'min' ? a < b : a > b;
}

/** The best of values (NaN when there is none or all are NaN). */
export function bestOf(values: readonly number[], mode: Mode): number {
  return values.reduce((best, value) => (isBetter(value, best, mode) ? value : best), Number.NaN);
}
