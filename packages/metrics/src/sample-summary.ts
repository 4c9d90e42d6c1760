import { bootstrapMeanIntervals } from './bootstrap.js';
import { studentTQuantile } from './distributions.js';
import { mean, sampleStd } from './statistics.js';

/** A closed interval [low, high]. */
export type Interval = [number, number];

/** What a configuration's runs say about one metric. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); null below two values. */
  std: number | null;
  /** Standard error of the mean, std / √n; null below two values. */
  se: number | null;
  /** 95 % Student-t interval of the mean; null below two values. */
  ci95: Interval | null;
  /** Seeded 95 % percentile-bootstrap interval of the mean, from five values on. */
  bootstrap95?: Interval;
}

/** Fewest values a bootstrap interval is drawn from: with fewer it is far too narrow to mean anything. */
export const BOOTSTRAP_MIN_N = 5;

/** n, mean, sample std, standard error and 95 % intervals of `values` (seeded, so reproducible). */
export function summariseSample(values: readonly number[], options: { seed?: number } = {}): SampleSummary {
  return summariseColumns({ values }, options).values!;
}

/**
 * `summariseSample` of several metrics of the same runs; columns of equal length share one set of
 * bootstrap resamples (the runs resampled together, the drawing done once).
 */
export function summariseColumns(
  columns: Record<string, readonly number[]>,
  options: { seed?: number } = {},
): Record<string, SampleSummary> {
  const result: Record<string, SampleSummary> = {};
  const byLength = new Map<number, string[]>();
  for (const [name, values] of Object.entries(columns)) {
    result[name] = summaryWithoutBootstrap(values);
    if (values.length >= BOOTSTRAP_MIN_N)
      byLength.set(values.length, [...(byLength.get(values.length) ?? []), name]);
  }
  for (const names of byLength.values()) {
    const intervals = bootstrapMeanIntervals(
      names.map((name) => columns[name]!),
      { seed: options.seed ?? 0 },
    );
    names.forEach((name, i) => {
      result[name]!.bootstrap95 = intervals[i]!;
    });
  }
  return result;
}

function summaryWithoutBootstrap(values: readonly number[]): SampleSummary {
  const n = values.length;
  const centre = mean(values);
  const std = sampleStd(values);
  if (std === null) return { n, mean: centre, std: null, se: null, ci95: null };
  const se = std / Math.sqrt(n);
  const half = studentTQuantile(0.975, n - 1) * se;
  return { n, mean: centre, std, se, ci95: [centre - half, centre + half] };
}
