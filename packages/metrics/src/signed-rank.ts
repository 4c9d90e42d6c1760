import { standardNormalCdf } from './distributions.js';

/** Largest count of non-zero differences whose null distribution is enumerated exactly. */
export const SIGNED_RANK_EXACT_MAX_N = 50;

export interface SignedRankResult {
  /** Non-zero differences ranked (zeros are dropped, SciPy's `zero_method='wilcox'`). */
  n: number;
  /** Sum of the ranks of the positive differences (mid-ranks for ties). */
  statistic: number;
  /** Two-sided p-value; 1 when every difference is zero. */
  pValue: number;
  method: 'exact' | 'normal';
}

/**
 * Wilcoxon's signed-rank test of paired differences against a median of zero, two-sided. Up to
 * `SIGNED_RANK_EXACT_MAX_N` non-zero differences the p-value is exact: the statistic's distribution over
 * all 2ⁿ sign assignments, counted by dynamic programming over doubled ranks (so tied mid-ranks stay
 * whole numbers; with ties this is the exact conditional test, where SciPy would fall back to the normal
 * approximation). Above that, the normal approximation with the tie correction and no continuity
 * correction (SciPy's `method='approx'`).
 */
export function signedRankTest(differences: readonly number[]): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0);
  const n = nonZero.length;
  if (n === 0) return { n, statistic: 0, pValue: 1, method: 'exact' };
  const ranks = midRanks(nonZero.map(Math.abs));
  let statistic = 0;
  for (let i = 0; i < n; i++) if (nonZero[i]! > 0) statistic += ranks[i]!;
  const total = (n * (n + 1)) / 2;
  if (n <= SIGNED_RANK_EXACT_MAX_N)
    return { n, statistic, pValue: exactPValue(ranks, statistic, total), method: 'exact' };
  const tieTerm = tieCorrection(ranks);
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = (statistic - total / 2) / Math.sqrt(variance);
  return { n, statistic, pValue: Math.min(1, 2 * standardNormalCdf(-Math.abs(z))), method: 'normal' };
}

/** Ranks 1…n of `values`, ties sharing the mean of their ranks. */
function midRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Σ (t³ − t) over groups of t tied ranks. */
function tieCorrection(ranks: readonly number[]): number {
  const sizes = new Map<number, number>();
  for (const rank of ranks) sizes.set(rank, (sizes.get(rank) ?? 0) + 1);
  let sum = 0;
  for (const t of sizes.values()) sum += t ** 3 - t;
  return sum;
}

/** P(|W − E W| ≥ |w − E W|) under the null, every sign assignment equally likely. */
function exactPValue(ranks: readonly number[], statistic: number, total: number): number {
  const doubled = ranks.map((rank) => Math.round(rank * 2));
  const max = 2 * total;
  // counts[s]: sign assignments whose positive ranks sum to s / 2 (as fractions of 2ⁿ, to stay finite).
  let counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (const rank of doubled) {
    const next = new Float64Array(max + 1);
    for (let s = 0; s <= max; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      next[s] = next[s]! + c / 2;
      next[s + rank] = next[s + rank]! + c / 2;
    }
    counts = next;
  }
  // In doubled units the null mean of the sum is `total`.
  const distance = Math.abs(2 * statistic - total);
  let p = 0;
  for (let s = 0; s <= max; s++) if (Math.abs(s - total) >= distance) p += counts[s]!;
  return Math.min(1, p);
}
