import { describe, expect, it } from 'vitest';
import { confusionMatrix, normaliseRows } from './confusion-matrix.js';
import { MetricsInputError } from './errors.js';

describe('confusionMatrix', () => {
  it('counts rows as true classes and columns as predictions, in index order', () => {
    expect(confusionMatrix(Uint8Array.from([0, 1, 1, 2]), Uint8Array.from([0, 2, 1, 0]), 3)).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [1, 0, 0],
    ]);
  });

  it('names the bad label and refuses mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(
      'true label 3 at index 1 is not a class index in [0, 3)',
    );
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(MetricsInputError);
  });

  it('row-normalises, leaving a row without samples at zero', () => {
    expect(
      normaliseRows([
        [3, 1],
        [0, 0],
      ]),
    ).toEqual([
      [0.75, 0.25],
      [0, 0],
    ]);
  });
});
