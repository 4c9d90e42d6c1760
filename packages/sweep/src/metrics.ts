import { type Direction, validationValue } from '@repo/metrics';
import { type HistoryEntry, METRIC_NAMES } from '@repo/model/config';

/**
 * Metrics a search or scheduler may optimise: validation figures only (`val_loss`, `val_shape_acc`, …,
 * and `val_combined`, the default objective), so the test split never steers which trials go on.
 */
export const OBJECTIVE_METRICS = [
  ...METRIC_NAMES.map((name) => `val_${name}` as const),
  'val_combined',
] as const;
export type ObjectiveMetric = (typeof OBJECTIVE_METRICS)[number];

/** The objective of a spec that names none: @repo/metrics' `combined` score on validation. */
export const DEFAULT_SWEEP_METRIC: ObjectiveMetric = 'val_combined';

/** The metric's value in an epoch of history; NaN when the epoch lacks it. */
export function metricValue(entry: HistoryEntry, metric: ObjectiveMetric): number {
  return validationValue(entry.val, metric);
}

/** Whether `a` is strictly better than `b`; NaN (a diverged trial) is worse than any number. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return direction === 'minimize' ? a < b : a > b;
}

/** The best of values (NaN when there is none or all are NaN). */
export function bestOf(values: readonly number[], direction: Direction): number {
  return values.reduce((best, value) => (isBetter(value, best, direction) ? value : best), Number.NaN);
}
