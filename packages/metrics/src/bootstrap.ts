import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Interval } from './sample-summary.js';

export interface BootstrapOptions {
  /** Seeds the resampling, so a report is the same every time it is written. Default 0. */
  seed?: number;
  /** Resamples drawn. Default 2,000 (the usual floor for percentile intervals; a report holds thousands). */
  resamples?: number;
  /** Coverage of the interval. Default 0.95. */
  level?: number;
}

/**
 * Percentile bootstrap interval of the mean: the mean of `resamples` samples drawn with replacement,
 * and the (1 − level)/2 and (1 + level)/2 quantiles of those means (SciPy's `method='percentile'`).
 */
export function bootstrapMeanInterval(values: readonly number[], options: BootstrapOptions = {}): Interval {
  return bootstrapMeanIntervals([values], options)[0]!;
}

/**
 * `bootstrapMeanInterval` of several columns measured on the same runs (one value per run each),
 * drawing one set of resamples for all: runs stay together across metrics, and drawing is paid once.
 */
export function bootstrapMeanIntervals(
  columns: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): Interval[] {
  const { seed = 0, resamples = 2000, level = 0.95 } = options;
  const n = columns[0]?.length ?? 0;
  const generator = xoroshiro128plus(seed);
  const picks = new Uint32Array(resamples * n);
  for (let i = 0; i < picks.length; i++) picks[i] = uniformInt(generator, 0, n - 1);
  const means = new Float64Array(resamples);
  return columns.map((values) => {
    for (let r = 0; r < resamples; r++) {
      let sum = 0;
      for (let i = r * n; i < (r + 1) * n; i++) sum += values[picks[i]!]!;
      means[r] = sum / n;
    }
    return [selectQuantile(means, (1 - level) / 2), selectQuantile(means, (1 + level) / 2)];
  });
}

/**
 * NumPy's linear-interpolation quantile found by selection instead of a full sort (reorders `values`):
 * sorting thousands of resampled means per metric per configuration was most of a report's cost.
 */
export function selectQuantile(values: Float64Array, q: number): number {
  const rank = q * (values.length - 1);
  const low = Math.floor(rank);
  const below = selectKth(values, low);
  if (low + 1 >= values.length) return below;
  let above = Number.POSITIVE_INFINITY;
  for (let i = low + 1; i < values.length; i++) above = Math.min(above, values[i]!);
  return below + (above - below) * (rank - low);
}

/** Hoare selection: leaves the k-th smallest at k, smaller ones before it and larger ones after. */
function selectKth(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >>> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k]!;
}
