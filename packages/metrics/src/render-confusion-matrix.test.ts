import { describe, expect, it } from 'vitest';
import { normaliseRows } from './confusion-matrix.js';
import { renderConfusionMatrix } from './render-confusion-matrix.js';

const labels = ['circle', 'rectangle', 'triangle'];
const matrix = [
  [1, 1, 0],
  [0, 12, 0],
  [0, 0, 0],
];

describe('renderConfusionMatrix', () => {
  it('prints counts with true classes down, predictions across and row totals', () => {
    expect(renderConfusionMatrix(matrix, labels)).toBe(
      [
        'true \\ pred  circle  rectangle  triangle  total',
        '-----------  ------  ---------  --------  -----',
        'circle            1          1         0      2',
        'rectangle         0         12         0     12',
        'triangle          0          0         0      0',
      ].join('\n'),
    );
  });

  it('prints a row-normalised matrix as percentages', () => {
    expect(
      renderConfusionMatrix(normaliseRows(matrix), labels, { format: 'percent' }).split('\n').slice(2),
    ).toEqual([
      'circle        50.0%      50.0%      0.0%',
      'rectangle      0.0%     100.0%      0.0%',
      'triangle       0.0%       0.0%      0.0%',
    ]);
  });

  it('refuses a matrix that does not match its labels', () => {
    expect(() => renderConfusionMatrix(matrix, ['a', 'b'])).toThrow('the confusion matrix must be 2×2');
  });
});
