/**
 * Holm–Bonferroni adjusted p-values, in the order given: the i-th smallest of m is multiplied by
 * (m − i + 1), made non-decreasing in that order and capped at 1. Rejecting where the adjusted value is
 * below α keeps the chance of any false "better than" among the m at most α. Null entries (no test)
 * stay null and do not count towards m.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((x, y) => x.p - y.p);
  const m = tested.length;
  const adjusted: (number | null)[] = pValues.map(() => null);
  let running = 0;
  tested.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
