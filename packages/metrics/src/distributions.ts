/// <reference path="./jstat.d.ts" />
import jStat from 'jstat';

// jstat is one small file (about 20 ms to load); @stdlib's per-function packages pull in some 200
// modules and add about 0.2 s to every process that imports @repo/metrics, the CLI included.

/** P(T ≤ x) for Student's t with `df` degrees of freedom (df may be fractional, as Welch's). */
export function studentTCdf(x: number, df: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return jStat.studentt.cdf(x, df);
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function studentTQuantile(p: number, df: number): number {
  return jStat.studentt.inv(p, df);
}

/** P(Z ≤ z) for the standard normal. */
export function standardNormalCdf(z: number): number {
  return jStat.normal.cdf(z, 0, 1);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function twoSidedTPValue(t: number, df: number): number {
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
}
