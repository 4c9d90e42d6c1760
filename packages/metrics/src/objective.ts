import { MetricsInputError } from './errors.js';

/** Which way is better: the one direction vocabulary of specs, reports, pages and the CLI. */
export type Direction = 'minimize' | 'maximize';

/** A metric to rank runs by, and which way is better. */
export interface Objective {
  /** A flat metric name of `runMetrics` (e.g. `combined`, `shape_acc`, `position_mae_px`). */
  metric: string;
  direction: Direction;
}

/** Weight of one unit of classification error (a fraction) against one pixel of position MAE. */
const PIXELS_PER_ERROR = 100;

/**
 * The default objective, lower is better: `position_mae_px + 100 × ((1 − shape_acc) + (1 − colour_acc))`.
 * One pixel of mean absolute position error weighs as much as one percentage point of
 * misclassification in either head (the study's model: ~5 px, 0.25 % shape error → ~5.25).
 * A run without a head (a single-task baseline) sums the terms of the heads it has: its `combined`
 * is that head's term alone, comparable with the same head's term of other runs, not with their
 * three-head `combined`. NaN when no head's metric is there.
 */
export function combinedScore(metrics: Readonly<Record<string, number>>): number {
  const terms = [
    metrics.position_mae_px,
    metrics.shape_acc === undefined ? undefined : PIXELS_PER_ERROR * (1 - metrics.shape_acc),
    metrics.colour_acc === undefined ? undefined : PIXELS_PER_ERROR * (1 - metrics.colour_acc),
  ].filter((term) => term !== undefined);
  return terms.length === 0 ? Number.NaN : terms.reduce((sum, term) => sum + term, 0);
}

export const DEFAULT_OBJECTIVE: Objective = { metric: 'combined', direction: 'minimize' };

/**
 * One epoch's value of a validation objective (`val_loss`, `val_shape_acc`, …), NaN when the epoch
 * lacks it. `val_combined` is `combinedScore` of the epoch's position MAE (px) and accuracies (those
 * of the heads the model has), so a sweep ranks its trials on validation by the same formula its report
 * ranks them by on test.
 */
export function validationValue(val: Readonly<Record<string, number>>, metric: string): number {
  const name = metric.startsWith('val_') ? metric.slice('val_'.length) : metric;
  if (name === 'combined') {
    const { position_mae, shape_acc, colour_acc } = val;
    return combinedScore({
      ...(position_mae === undefined ? {} : { position_mae_px: position_mae }),
      ...(shape_acc === undefined ? {} : { shape_acc }),
      ...(colour_acc === undefined ? {} : { colour_acc }),
    });
  }
  return val[name] ?? Number.NaN;
}

/** Test-split run metrics that correspond to a validation objective; losses are not measured on test. */
const TEST_COUNTERPARTS: Readonly<Record<string, string>> = {
  val_combined: 'combined',
  val_position_mae: 'position_mae_px',
  val_shape_acc: 'shape_acc',
  val_colour_acc: 'colour_acc',
};

/**
 * The objective a report ranks by for a sweep that ranked its trials by `sweepObjective` on validation:
 * the same metric on test, or `DEFAULT_OBJECTIVE` for a loss (no test loss is recorded).
 */
export function reportObjectiveFor(sweepObjective: { metric: string; direction: Direction }): Objective {
  const metric = TEST_COUNTERPARTS[sweepObjective.metric];
  return metric === undefined ? DEFAULT_OBJECTIVE : { metric, direction: sweepObjective.direction };
}

/** The direction of a metric when none is given: rates are maximised, losses and errors minimised. */
export function defaultDirection(metric: string): Direction {
  return isRateMetric(metric) ? 'maximize' : 'minimize';
}

/** The objective of a metric name: accuracy, precision, recall and F1 are maximised, the rest minimised. */
export function objectiveFor(metric: string): Objective {
  if (metric.trim() === '') throw new MetricsInputError('an objective needs a metric name');
  return { metric, direction: defaultDirection(metric) };
}

/** Accuracy, precision, recall and F1: fractions in [0, 1], higher is better. */
export function isRateMetric(metric: string): boolean {
  return /(_acc|_precision|_recall|_f1)$/.test(metric);
}

/** Negative when `a` is better than `b` under `objective`; NaN values sort last. */
export function compareByObjective(objective: Objective, a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return objective.direction === 'minimize' ? a - b : b - a;
}
