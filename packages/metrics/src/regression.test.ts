import { describe, expect, it } from 'vitest';
import { MetricsInputError } from './errors.js';
import { regressionMetrics } from './regression.js';

describe('regressionMetrics', () => {
  it('gives MAE per axis and mean, normalised MAE, and Euclidean median and p90 (hand-computed)', () => {
    // errors (dx, dy): (3, 4) → 5, (0, 0) → 0, (−6, −8) → 10, (1, 0) → 1
    const truth = Float32Array.from([10, 20, 30, 40, 50, 60, 0, 0]);
    const pred = Float32Array.from([13, 24, 30, 40, 44, 52, 1, 0]);
    const metrics = regressionMetrics(truth, pred, 100);
    expect(metrics.count).toBe(4);
    expect(metrics.maePx).toEqual({ x: 10 / 4, y: 12 / 4, mean: 22 / 8 });
    expect(metrics.maeNorm).toEqual({ x: 0.025, y: 0.03, mean: 0.0275 });
    // sorted distances 0, 1, 5, 10: median (1 + 5) / 2; p90 at rank 2.7 → 5 + 0.7 · 5
    expect(metrics.euclideanPx.median).toBe(3);
    expect(metrics.euclideanPx.p90).toBeCloseTo(8.5, 12);
  });

  it('refuses unpaired or mismatched coordinates', () => {
    expect(() => regressionMetrics([1, 2, 3], [1, 2, 3], 128)).toThrow(MetricsInputError);
    expect(() => regressionMetrics([1, 2], [1, 2, 3, 4], 128)).toThrow(/2 true and 4 predicted/);
  });
});
