import { MetricsInputError } from './errors.js';

/** Rows are true classes, columns predicted classes, both in the label order of the caller. */
export type ConfusionMatrix = number[][];

/** Counts (true, predicted) pairs of class indices in [0, numClasses). */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): ConfusionMatrix {
  if (yTrue.length !== yPred.length) {
    throw new MetricsInputError(`${yTrue.length} true labels but ${yPred.length} predictions`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new MetricsInputError(`numClasses must be a whole number ≥ 1, got ${numClasses}`);
  }
  const matrix = emptyMatrix(numClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const truth = checkLabel(yTrue[i]!, numClasses, 'true label', i);
    const predicted = checkLabel(yPred[i]!, numClasses, 'prediction', i);
    matrix[truth]![predicted]!++;
  }
  return matrix;
}

/** Each row divided by its sum (recall on the diagonal); a row with no samples stays all zeros. */
export function normaliseRows(matrix: ConfusionMatrix): ConfusionMatrix {
  return matrix.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total > 0 ? count / total : 0));
  });
}

/** Adds `matrix` into `into` cell by cell (same size). */
export function addInto(into: ConfusionMatrix, matrix: ConfusionMatrix): void {
  matrix.forEach((row, i) => {
    const target = into[i]!;
    row.forEach((count, j) => {
      target[j]! += count;
    });
  });
}

export function emptyMatrix(size: number): ConfusionMatrix {
  return Array.from({ length: size }, () => new Array<number>(size).fill(0));
}

function checkLabel(value: number, numClasses: number, what: string, index: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
    throw new MetricsInputError(
      `${what} ${value} at index ${index} is not a class index in [0, ${numClasses})`,
    );
  }
  return value;
}
