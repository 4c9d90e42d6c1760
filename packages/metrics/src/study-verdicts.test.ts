import { describe, expect, it } from 'vitest';
import { compareSamples } from './compare-samples.js';
import { parameterImportance } from './parameter-importance.js';
import { paretoFront } from './pareto.js';
import { verdictFor } from './verdict.js';

const seeds = (values: number[]) => values.map((value, seed) => ({ seed, value }));

describe('verdictFor', () => {
  it('names the better side by direction when the runs differ', () => {
    // A's error is about 1 px lower on every seed.
    const a = seeds([4.1, 4.3, 3.9, 4.2, 4.0]);
    const b = seeds([5.2, 5.1, 5.0, 5.3, 4.9]);
    const comparison = compareSamples(a, b);
    expect(verdictFor(comparison, comparison.pValue, 'minimize', { a: 'mtl', b: 'branches' })).toEqual({
      kind: 'a-better',
      text: 'mtl better than branches',
    });
    expect(verdictFor(comparison, comparison.pValue, 'maximize').kind).toBe('b-better');
  });

  it('says no detectable difference at n = k when the runs do not differ', () => {
    const a = seeds([4.1, 5.3, 3.9, 5.2, 4.6]);
    const b = seeds([4.3, 5.0, 4.2, 5.0, 4.5]);
    const comparison = compareSamples(a, b);
    expect(comparison.pValue!).toBeGreaterThan(0.05);
    expect(verdictFor(comparison, comparison.pValue, 'minimize')).toEqual({
      kind: 'no-difference',
      text: 'no detectable difference at n = 5',
    });
  });

  it('a Holm-adjusted p above α turns a difference into no detectable difference', () => {
    const comparison = compareSamples(seeds([4.1, 4.3, 3.9]), seeds([4.6, 4.6, 4.4]));
    expect(comparison.pValue!).toBeLessThan(0.05);
    expect(verdictFor(comparison, comparison.pValue, 'minimize').kind).toBe('a-better');
    expect(verdictFor(comparison, Math.min(1, comparison.pValue! * 6), 'minimize').kind).toBe(
      'no-difference',
    );
  });

  it('below three runs a side it says the sample is too small, whatever the numbers', () => {
    const comparison = compareSamples(seeds([1, 1.1]), seeds([9, 9.1]));
    expect(verdictFor(comparison, 0, 'minimize')).toEqual({
      kind: 'too-small',
      text: 'sample too small (n = 2; needs 3)',
    });
  });

  it('identical runs (zero variance, zero difference): no detectable difference', () => {
    const comparison = compareSamples(seeds([1, 1, 1]), seeds([1, 1, 1]));
    expect(comparison.pValue).toBe(1);
    expect(verdictFor(comparison, comparison.pValue, 'maximize').kind).toBe('no-difference');
  });
});

describe('paretoFront', () => {
  it('keeps the non-dominated points of hand-made ones', () => {
    const front = paretoFront([
      { id: 'small-and-bad', values: [1, 9] },
      { id: 'balanced', values: [4, 4] },
      { id: 'dominated', values: [5, 5] },
      { id: 'big-and-good', values: [9, 1] },
      { id: 'tie-with-balanced', values: [4, 4] },
      { id: 'worse-on-one', values: [4, 4.5] },
      { id: 'nan', values: [Number.NaN, 0] },
    ]);
    expect(front).toEqual(['small-and-bad', 'balanced', 'big-and-good', 'tie-with-balanced']);
  });

  it('in three dimensions a point best on one coordinate is always on the front', () => {
    const front = paretoFront([
      { id: 'a', values: [1, 5, 5] },
      { id: 'b', values: [5, 1, 5] },
      { id: 'c', values: [5, 5, 1] },
      { id: 'd', values: [5, 5, 5] },
      { id: 'e', values: [2, 2, 2] },
    ]);
    expect(front).toEqual(['a', 'b', 'c', 'e']);
  });
});

describe('parameterImportance', () => {
  it('η² of each parameter on a grid, and the seed noise left within configurations', () => {
    // lr moves the value by ±2, width by ±0.5, seeds by ±0.1 (two repeats per configuration).
    const runs = [];
    for (const lr of [1e-3, 1e-2])
      for (const width of [0.5, 1])
        for (const noise of [-0.1, 0.1])
          runs.push({
            config: { lr, width },
            value: 10 + (lr === 1e-3 ? -2 : 2) + (width === 1 ? -0.5 : 0.5) + noise,
          });
    const result = parameterImportance(runs, ['width', 'lr']);
    // SS: lr 8·4 = 32, width 8·0.25 = 2, noise 8·0.01 = 0.08; total 34.08.
    expect(result.parameters.map((p) => p.parameter)).toEqual(['lr', 'width']);
    expect(result.parameters[0]!.importance).toBeCloseTo(32 / 34.08, 12);
    expect(result.parameters[1]!.importance).toBeCloseTo(2 / 34.08, 12);
    expect(result.seedNoise).toBeCloseTo(0.08 / 34.08, 12);
  });

  it('bins a many-valued numeric parameter into four levels by rank', () => {
    const runs = Array.from({ length: 40 }, (_, i) => ({ config: { lr: 10 ** (-4 + i / 10) }, value: i }));
    const [lr] = parameterImportance(runs, ['lr']).parameters;
    expect(lr!.levels).toBe(4);
    // Bins of 10 consecutive values: between SS 10·(4.5² + … ) over total SS of 0…39.
    expect(lr!.importance).toBeCloseTo((10 * (15 ** 2 + 5 ** 2 + 5 ** 2 + 15 ** 2)) / 5330, 12);
    expect(parameterImportance(runs, ['lr']).seedNoise).toBeNull();
  });

  it('zero variance: every importance 0', () => {
    const runs = [1, 2, 3].map((x) => ({ config: { x }, value: 7 }));
    expect(parameterImportance(runs, ['x']).parameters[0]!.importance).toBe(0);
  });
});
