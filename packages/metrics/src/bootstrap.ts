import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Interval } from './sample-summary.js';
import { quantile } from './statistics.js';

export interface BootstrapOptions {
  /** Seeds the resampling, so a report is the same every time it is written. Default 0. */
  seed?: number;
  /** Resamples drawn. Default 4,000. */
  resamples?: number;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
}

/**
 * Percentile bootstrap interval of the mean: the mean of `resamples` samples drawn with replacement,
 * and the (1 − level)/2 and (1 + level)/2 quantiles of those means (SciPy's `method='percentile'`).
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions = {}): Interval {
  const { seed = 0, resamples = 4000, level = 0.95 } = options;
  const n = values.length;
  const generator = xoroshiro128plus(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[uniformInt(generator, 0, n - 1)]!;
    means[r] = sum / n;
  }
  const sorted = Array.from(means);
  return [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
}
