import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, selectQuantile } from './bootstrap.js';
import { compareSamples, pairedComparison, welchComparison } from './compare-samples.js';
import { studentTCdf, studentTQuantile } from './distributions.js';
import { holmAdjust } from './holm.js';
import { summariseSample } from './sample-summary.js';
import { signedRankTest } from './signed-rank.js';
import { quantile } from './statistics.js';

interface DescribeCase {
  values: number[];
  n: number;
  mean: number;
  std?: number;
  se?: number;
  ci95?: [number, number];
  bootstrap95?: [number, number];
}
interface PairedCase {
  a: number[];
  b: number[];
  n: number;
  meanDiff: number;
  ci95?: [number, number];
  tPValue?: number;
  cohenD?: number;
  wilcoxonPValue?: number;
  wilcoxonMethod?: 'exact' | 'normal';
}
interface WelchCase {
  a: number[];
  b: number[];
  meanDiff: number;
  df: number;
  ci95: [number, number];
  tPValue: number;
}

// jstat's t distribution agrees with SciPy's to about 1e-8, so figures are compared to 7 decimals;
// exact ones (means, std, signed-rank counts) to 12.
// Written by fixtures/statistics_reference.py from SciPy (its version is in the file).
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/statistics.json', import.meta.url), 'utf8'),
) as {
  describe: DescribeCase[];
  paired: PairedCase[];
  welch: WelchCase[];
  t: { p: number; df: number; quantile: number; cdfAt2: number }[];
};

const close = (actual: number | null | undefined, expected: number, digits = 7) => {
  expect(actual).not.toBeNull();
  expect(actual).toBeCloseTo(expected, digits);
};

describe('Student t against SciPy', () => {
  it.each(reference.t)('quantile $p and cdf(2) at df $df', ({ p, df, quantile, cdfAt2 }) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(quantile, 7);
    expect(studentTCdf(2, df)).toBeCloseTo(cdfAt2, 10);
  });
});

describe('summariseSample against SciPy', () => {
  it.each(reference.describe)('n = $n: $values', (expected) => {
    const summary = summariseSample(expected.values, { seed: 1 });
    expect(summary.n).toBe(expected.n);
    close(summary.mean, expected.mean, 12);
    if (expected.std === undefined) {
      expect(summary.std).toBeNull();
      expect(summary.ci95).toBeNull();
      return;
    }
    close(summary.std, expected.std, 12);
    close(summary.se, expected.se!, 12);
    close(summary.ci95![0], expected.ci95![0]);
    close(summary.ci95![1], expected.ci95![1]);
    if (expected.bootstrap95 === undefined) {
      expect(summary.bootstrap95).toBeUndefined();
      return;
    }
    // Ours draws 2,000 resamples, SciPy's reference 200,000: the ends agree to a few % of the width.
    const width = expected.bootstrap95[1] - expected.bootstrap95[0];
    expect(Math.abs(summary.bootstrap95![0] - expected.bootstrap95[0])).toBeLessThan(0.05 * width);
    expect(Math.abs(summary.bootstrap95![1] - expected.bootstrap95[1])).toBeLessThan(0.05 * width);
  });

  it('zero variance: the interval is the mean itself, no NaN', () => {
    const summary = summariseSample([2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(summary.ci95).toEqual([2.5, 2.5]);
    expect(summary.bootstrap95).toEqual([2.5, 2.5]);
  });

  it('the interval ends are picked by selection: the same as NumPy-style quantiles of a sort', () => {
    for (const length of [1, 2, 7, 400, 4001]) {
      const values = Array.from({ length }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(i / 3));
      for (const q of [0, 0.025, 0.5, 0.975, 1])
        expect(selectQuantile(Float64Array.from(values), q)).toBe(quantile(values, q));
    }
    expect(selectQuantile(Float64Array.from([3, 3, 3, 1, 3]), 0.1)).toBeCloseTo(1.8, 12);
  });

  it('the bootstrap is seeded: the same seed gives the same interval, another seed another', () => {
    const values = [5.59, 4.97, 6.12, 5.33, 5.8, 5.1];
    expect(bootstrapMeanInterval(values, { seed: 3 })).toEqual(bootstrapMeanInterval(values, { seed: 3 }));
    expect(bootstrapMeanInterval(values, { seed: 3 })).not.toEqual(
      bootstrapMeanInterval(values, { seed: 4 }),
    );
  });
});

describe('paired comparison against SciPy', () => {
  it.each(reference.paired)('n = $n: $a vs $b', (expected) => {
    const comparison = pairedComparison(expected.a.map((x, i) => [x, expected.b[i]!] as const));
    expect(comparison.kind).toBe('paired');
    close(comparison.meanDiff, expected.meanDiff, 12);
    if (expected.tPValue !== undefined) {
      close(comparison.pValue, expected.tPValue);
      close(comparison.ci95![0], expected.ci95![0]);
      close(comparison.ci95![1], expected.ci95![1]);
      close(comparison.cohenD, expected.cohenD!, 12);
    } else {
      // Zero spread of the differences: SciPy gives NaN; we read a constant non-zero shift as certain.
      expect(comparison.cohenD).toBeNull();
      expect(comparison.pValue).toBe(expected.meanDiff === 0 ? 1 : 0);
      expect(comparison.ci95).toEqual([expected.meanDiff, expected.meanDiff]);
    }
    if (expected.wilcoxonPValue === undefined) expect(comparison.wilcoxonPValue).toBe(1);
    else close(comparison.wilcoxonPValue, expected.wilcoxonPValue, 12);
  });

  it('signed-rank: exact for small n with ties, the normal approximation above 50', () => {
    const tied = reference.paired.find((c) => c.wilcoxonMethod === 'exact' && c.n === 6)!;
    expect(signedRankTest(tied.a.map((x, i) => x - tied.b[i]!)).method).toBe('exact');
    const large = reference.paired.filter((c) => c.wilcoxonMethod === 'normal');
    expect(large.length).toBe(2);
    for (const c of large) expect(signedRankTest(c.a.map((x, i) => x - c.b[i]!)).method).toBe('normal');
  });
});

describe('Welch t against SciPy', () => {
  it.each(reference.welch)('$a vs $b', (expected) => {
    const comparison = welchComparison(expected.a, expected.b);
    close(comparison.meanDiff, expected.meanDiff, 12);
    close(comparison.df, expected.df, 12);
    close(comparison.pValue, expected.tPValue);
    close(comparison.ci95![0], expected.ci95[0]);
    close(comparison.ci95![1], expected.ci95[1]);
  });

  it('compareSamples pairs by seed from three shared seeds on, and falls back to Welch below', () => {
    const a = [1, 2, 3, 4].map((seed) => ({ seed, value: 5 + seed / 10 }));
    const b = [4, 3, 2, 1].map((seed) => ({ seed, value: 6 + seed / 10 }));
    const paired = compareSamples(a, b);
    expect(paired.kind).toBe('paired');
    expect(paired.meanDiff).toBeCloseTo(-1, 12);
    expect(paired.pValue).toBe(0);
    const unmatched = compareSamples(a, [
      { seed: 1, value: 6.1 },
      { seed: 9, value: 6.3 },
      { seed: 8, value: 6 },
    ]);
    expect(unmatched.kind).toBe('welch');
    expect(unmatched.nA).toBe(4);
    expect(unmatched.nB).toBe(3);
  });

  it('one run on a side: no interval and no p-value', () => {
    const comparison = welchComparison([1, 2, 3], [2]);
    expect(comparison.ci95).toBeNull();
    expect(comparison.pValue).toBeNull();
  });
});

describe('holmAdjust', () => {
  it('multiplies by m − rank + 1, keeps the order monotone, caps at 1 and skips nulls', () => {
    // statsmodels multipletests([0.01, 0.04, 0.03, 0.005], method='holm') → [0.03, 0.06, 0.06, 0.02]
    const adjusted = holmAdjust([0.01, 0.04, null, 0.03, 0.005]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeNull();
    expect(adjusted[3]).toBeCloseTo(0.06, 12);
    expect(adjusted[4]).toBeCloseTo(0.02, 12);
    expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
  });
});
