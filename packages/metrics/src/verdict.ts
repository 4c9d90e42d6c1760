import type { SampleComparison } from './compare-samples.js';
import type { Direction } from './objective.js';

/** Fewest runs per side a verdict is drawn from; with fewer the table says the sample is too small. */
export const MIN_VERDICT_N = 3;

/** Significance level of the verdicts, applied to Holm-adjusted p-values. */
export const VERDICT_ALPHA = 0.05;

export type VerdictKind = 'a-better' | 'b-better' | 'no-difference' | 'too-small';

export interface Verdict {
  kind: VerdictKind;
  /** What a person reads: `A better than B`, `no detectable difference at n = 3`, … */
  text: string;
}

/**
 * Reads a comparison of A and B on a metric where `direction` says which way is better. "Better" needs
 * the Holm-adjusted t-test p-value below `VERDICT_ALPHA`; anything else is "no detectable difference at
 * n = k" (k the smaller side), which says what the data can show, not that the two are equal.
 */
export function verdictFor(
  comparison: SampleComparison,
  adjustedP: number | null,
  direction: Direction,
  names: { a: string; b: string } = { a: 'A', b: 'B' },
): Verdict {
  const n = Math.min(comparison.nA, comparison.nB);
  if (n < MIN_VERDICT_N)
    return { kind: 'too-small', text: `sample too small (n = ${n}; needs ${MIN_VERDICT_N})` };
  if (adjustedP === null || adjustedP >= VERDICT_ALPHA || comparison.meanDiff === 0)
    return { kind: 'no-difference', text: `no detectable difference at n = ${n}` };
  const aLower = comparison.meanDiff < 0;
  const aBetter = direction === 'minimize' ? aLower : !aLower;
  return aBetter
    ? { kind: 'a-better', text: `${names.a} better than ${names.b}` }
    : { kind: 'b-better', text: `${names.b} better than ${names.a}` };
}
