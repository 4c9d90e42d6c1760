import { bootstrapMeanInterval } from './bootstrap.js';
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
  const n = values.length;
  const centre = mean(values);
  const std = sampleStd(values);
  if (std === null) return { n, mean: centre, std: null, se: null, ci95: null };
  const se = std / Math.sqrt(n);
  const half = studentTQuantile(0.975, n - 1) * se;
  const summary: SampleSummary = { n, mean: centre, std, se, ci95: [centre - half, centre + half] };
  if (n >= BOOTSTRAP_MIN_N) summary.bootstrap95 = bootstrapMeanInterval(values, { seed: options.seed ?? 0 });
  return summary;
}
