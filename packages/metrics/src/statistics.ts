/** Arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length > 0 ? sum / values.length : Number.NaN;
}

/** Sample standard deviation (n − 1 in the denominator); null for fewer than two values. */
export function sampleStd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const centre = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - centre) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * The q-th quantile (q in [0, 1]) with linear interpolation between closest ranks, as NumPy's
 * default `np.percentile` / `np.quantile`; NaN for no values.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  return quantileOfSorted(Float64Array.from(values).sort(), q);
}

/** `quantile` of values already sorted ascending (no copy, no sort). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The median (the 0.5 quantile: the mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
