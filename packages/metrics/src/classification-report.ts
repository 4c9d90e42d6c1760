import { type ConfusionMatrix, confusionMatrix } from './confusion-matrix.js';
import { MetricsInputError } from './errors.js';

/**
 * What a ratio with a zero denominator is worth: 0 (default), 1 or NaN. scikit-learn's default
 * (`"warn"`) also yields 0, with a warning; here 0 is simply the value, without a warning.
 */
export type ZeroDivision = number;

export interface ClassificationOptions {
  /** Value of a ratio whose denominator is zero. Default 0. With NaN, averages skip NaN values. */
  zeroDivision?: ZeroDivision;
}

/** One class's row of the report. `support` is its number of true samples. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** A macro or weighted average; `support` is the total number of samples. */
export interface AverageMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** scikit-learn's `classification_report` (output_dict) for a fixed label order, plus its confusion matrix. */
export interface ClassificationReport {
  labels: string[];
  /** Rows are true classes, columns predicted, in `labels` order. */
  confusion: ConfusionMatrix;
  perClass: ClassMetrics[];
  accuracy: number;
  macro: AverageMetrics;
  weighted: AverageMetrics;
}

/** Report for class indices into `labels` (every label is reported, even one with no samples). */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: readonly string[],
  options: ClassificationOptions = {},
): ClassificationReport {
  return reportFromConfusion(confusionMatrix(yTrue, yPred, labels.length), labels, options);
}

/**
 * The report of a confusion matrix, with scikit-learn's definitions: precision = tp / predicted,
 * recall = tp / true, F1 = 2·tp / (true + predicted) (zero only when both are), macro = unweighted
 * mean over all labels, weighted = mean weighted by support, accuracy = trace / total.
 */
export function reportFromConfusion(
  confusion: ConfusionMatrix,
  labels: readonly string[],
  { zeroDivision = 0 }: ClassificationOptions = {},
): ClassificationReport {
  if (zeroDivision !== 0 && zeroDivision !== 1 && !Number.isNaN(zeroDivision)) {
    throw new MetricsInputError(`zeroDivision must be 0, 1 or NaN, got ${zeroDivision}`);
  }
  if (confusion.length !== labels.length || confusion.some((row) => row.length !== labels.length)) {
    throw new MetricsInputError(`the confusion matrix must be ${labels.length}×${labels.length}`);
  }
  const divide = (numerator: number, denominator: number) =>
    denominator === 0 ? zeroDivision : numerator / denominator;
  const predicted = labels.map((_, j) => confusion.reduce((sum, row) => sum + row[j]!, 0));
  const perClass = labels.map((label, i): ClassMetrics => {
    const row = confusion[i]!;
    const tp = row[i]!;
    const support = row.reduce((sum, count) => sum + count, 0);
    return {
      label,
      precision: divide(tp, predicted[i]!),
      recall: divide(tp, support),
      f1: divide(2 * tp, support + predicted[i]!),
      support,
    };
  });
  const total = perClass.reduce((sum, row) => sum + row.support, 0);
  const correct = perClass.reduce((sum, _, i) => sum + confusion[i]![i]!, 0);
  return {
    labels: [...labels],
    confusion: confusion.map((row) => [...row]),
    perClass,
    accuracy: divide(correct, total),
    macro: average(perClass, () => 1, total),
    weighted:
      total === 0
        ? { precision: zeroDivision, recall: zeroDivision, f1: zeroDivision, support: 0 }
        : average(perClass, (row) => row.support, total),
  };
}

/** Weighted mean of each measure, skipping NaN values as scikit-learn's `_nanaverage` does. */
function average(
  rows: ClassMetrics[],
  weight: (row: ClassMetrics) => number,
  support: number,
): AverageMetrics {
  const of = (measure: 'precision' | 'recall' | 'f1') => {
    let sum = 0;
    let weights = 0;
    let values = 0;
    let plain = 0;
    for (const row of rows) {
      const value = row[measure];
      if (Number.isNaN(value)) continue;
      sum += value * weight(row);
      weights += weight(row);
      plain += value;
      values++;
    }
    if (values === 0) return Number.NaN;
    // All remaining weights zero: scikit-learn falls back to the unweighted mean.
    return weights > 0 ? sum / weights : plain / values;
  };
  return { precision: of('precision'), recall: of('recall'), f1: of('f1'), support };
}
