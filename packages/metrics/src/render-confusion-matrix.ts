import type { ConfusionMatrix } from './confusion-matrix.js';
import { MetricsInputError } from './errors.js';
import { renderTable } from './text-table.js';

export interface ConfusionRenderOptions {
  /** `count` prints whole counts and each row's total; `percent` prints fractions (e.g. row-normalised) as %. Default `count`. */
  format?: 'count' | 'percent';
}

/** A terminal table of a confusion matrix: true classes down, predicted classes across. */
export function renderConfusionMatrix(
  matrix: ConfusionMatrix,
  labels: readonly string[],
  { format = 'count' }: ConfusionRenderOptions = {},
): string {
  if (matrix.length !== labels.length || matrix.some((row) => row.length !== labels.length)) {
    throw new MetricsInputError(`the confusion matrix must be ${labels.length}×${labels.length}`);
  }
  const percent = format === 'percent';
  const header = ['true \\ pred', ...labels, ...(percent ? [] : ['total'])];
  const rows = matrix.map((row, i) => [
    labels[i]!,
    ...row.map((value) => (percent ? `${(value * 100).toFixed(1)}%` : String(value))),
    ...(percent ? [] : [String(row.reduce((sum, value) => sum + value, 0))]),
  ]);
  return renderTable(
    header,
    rows,
    header.map((_, i) => (i === 0 ? 'left' : 'right')),
  );
}
