import { studentTQuantile, twoSidedTPValue } from './distributions.js';
import type { Interval } from './sample-summary.js';
import { signedRankTest } from './signed-rank.js';
import { mean, sampleStd } from './statistics.js';

/** One run's value of a metric, and the seed it ran with (runs of two configurations pair by seed). */
export interface SeededValue {
  seed?: number;
  value: number;
}

/** Fewest shared seeds that make a paired comparison; below that the runs are compared unpaired. */
export const MIN_PAIRS = 3;

/** A and B compared on one metric: A − B with its uncertainty. */
export interface SampleComparison {
  /** `paired`: runs matched by seed (same data, same seed); `welch`: unpaired, unequal variances. */
  kind: 'paired' | 'welch';
  /** Runs of A and of B used (for `paired`, both are the number of pairs). */
  nA: number;
  nB: number;
  meanA: number;
  meanB: number;
  /** mean(A) − mean(B) (for `paired`, the mean of the per-seed differences, which is the same). */
  meanDiff: number;
  /** 95 % Student-t interval of the difference; null when a side has fewer than two runs. */
  ci95: Interval | null;
  /** Two-sided t-test p-value (paired t, or Welch's); null when a side has fewer than two runs. */
  pValue: number | null;
  /** Degrees of freedom of the t-test (Welch–Satterthwaite for `welch`). */
  df: number | null;
  /** `paired` only: Wilcoxon signed-rank p-value, exact up to 50 non-zero differences. */
  wilcoxonPValue?: number;
  /** `paired` only: Cohen's d for paired data (d_z = mean difference / std of the differences); null at zero spread. */
  cohenD?: number | null;
}

/**
 * Compares two samples of a metric. Runs sharing a seed are paired when at least `MIN_PAIRS` seeds
 * are shared (runs without a partner are left out, so the pairs stay matched); otherwise Welch's t on
 * every run. With no spread at all, a non-zero difference gets p = 0 and a zero one p = 1 (SciPy
 * answers NaN for both; a report needs a reading).
 */
export function compareSamples(a: readonly SeededValue[], b: readonly SeededValue[]): SampleComparison {
  const bySeed = new Map<number, number>();
  for (const run of b) if (run.seed !== undefined) bySeed.set(run.seed, run.value);
  const pairs: [number, number][] = [];
  const used = new Set<number>();
  for (const run of a) {
    if (run.seed === undefined || used.has(run.seed)) continue;
    const partner = bySeed.get(run.seed);
    if (partner === undefined) continue;
    used.add(run.seed);
    pairs.push([run.value, partner]);
  }
  if (pairs.length >= MIN_PAIRS) return pairedComparison(pairs);
  return welchComparison(
    a.map((run) => run.value),
    b.map((run) => run.value),
  );
}

/** Paired comparison of (a, b) pairs: t-test and signed-rank test of a − b. */
export function pairedComparison(pairs: readonly (readonly [number, number])[]): SampleComparison {
  const differences = pairs.map(([x, y]) => x - y);
  const n = pairs.length;
  const meanDiff = mean(differences);
  const std = sampleStd(differences);
  const result: SampleComparison = {
    kind: 'paired',
    nA: n,
    nB: n,
    meanA: mean(pairs.map(([x]) => x)),
    meanB: mean(pairs.map(([, y]) => y)),
    meanDiff,
    ci95: null,
    pValue: null,
    df: null,
    wilcoxonPValue: signedRankTest(differences).pValue,
    cohenD: null,
  };
  if (std === null) return result;
  const se = std / Math.sqrt(n);
  result.df = n - 1;
  result.ci95 = interval(meanDiff, se, n - 1);
  result.pValue = tPValue(meanDiff, se, n - 1);
  result.cohenD = std > 0 ? meanDiff / std : null;
  return result;
}

/** Welch's unequal-variance t-test of mean(a) − mean(b). */
export function welchComparison(a: readonly number[], b: readonly number[]): SampleComparison {
  const meanA = mean(a);
  const meanB = mean(b);
  const result: SampleComparison = {
    kind: 'welch',
    nA: a.length,
    nB: b.length,
    meanA,
    meanB,
    meanDiff: meanA - meanB,
    ci95: null,
    pValue: null,
    df: null,
  };
  const stdA = sampleStd(a);
  const stdB = sampleStd(b);
  if (stdA === null || stdB === null) return result;
  const va = stdA ** 2 / a.length;
  const vb = stdB ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  // Welch–Satterthwaite; at zero spread on both sides any df gives the same degenerate answer.
  const df =
    se > 0 ? (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1)) : a.length + b.length - 2;
  result.df = df;
  result.ci95 = interval(result.meanDiff, se, df);
  result.pValue = tPValue(result.meanDiff, se, df);
  return result;
}

function interval(centre: number, se: number, df: number): Interval {
  const half = se > 0 ? studentTQuantile(0.975, df) * se : 0;
  return [centre - half, centre + half];
}

function tPValue(difference: number, se: number, df: number): number {
  if (se === 0) return difference === 0 ? 1 : 0;
  return twoSidedTPValue(difference / se, df);
}
