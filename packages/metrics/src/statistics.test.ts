import { describe, expect, it } from 'vitest';
import { mean, median, quantile, sampleStd } from './statistics.js';

describe('statistics', () => {
  it('median: the middle value, the mean of the middle two, NaN for none; input order does not matter', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    const values = [5, 1, 4];
    median(values);
    expect(values).toEqual([5, 1, 4]);
  });

  it('quantile interpolates linearly between closest ranks, as NumPy', () => {
    // np.quantile([1, 2, 3, 4, 10], [0, 0.25, 0.9]) → [1, 2, 7.6]
    expect(quantile([10, 1, 3, 2, 4], 0)).toBe(1);
    expect(quantile([10, 1, 3, 2, 4], 0.25)).toBe(2);
    expect(quantile([10, 1, 3, 2, 4], 0.9)).toBeCloseTo(7.6, 12);
  });

  it('mean and sample standard deviation', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeNaN();
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 8);
    expect(sampleStd([1])).toBeNull();
  });
});
