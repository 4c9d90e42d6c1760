import { describe, expect, it } from 'vitest';
import { sampleDirichlet, sampleGamma } from './dirichlet.js';
import { createRng } from './rng.js';

const moments = (values: readonly number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
};

describe('sampleGamma', () => {
  it.each([0.3, 1, 2.5, 9])('Gamma(%d) has mean α and variance α', (alpha) => {
    const rng = createRng(11, Math.round(alpha * 10));
    const { mean, variance } = moments(Array.from({ length: 40_000 }, () => sampleGamma(alpha, rng)));
    // Standard errors at n = 40,000: mean √(α/n), variance about α·√(6/n + 2/n) for large α.
    expect(Math.abs(mean - alpha)).toBeLessThan(5 * Math.sqrt(alpha / 40_000));
    expect(Math.abs(variance / alpha - 1)).toBeLessThan(0.1);
  });
});

describe('sampleDirichlet', () => {
  it('lies on the simplex: parts ≥ 0 summing to 1', () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const parts = sampleDirichlet([0.5, 1, 2], rng);
      for (const part of parts) expect(part).toBeGreaterThanOrEqual(0);
      expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it.each([[[1, 1, 1]], [[0.5, 2, 4]], [[10, 10, 10]]])(
    'with concentration %j has mean α_i / α₀ and variance α_i(α₀ − α_i) / (α₀²(α₀ + 1))',
    (alpha) => {
      const rng = createRng(5, alpha[0]! * 100);
      const draws = Array.from({ length: 30_000 }, () => sampleDirichlet(alpha, rng));
      const total = alpha.reduce((a, b) => a + b, 0);
      alpha.forEach((a, i) => {
        const { mean, variance } = moments(draws.map((parts) => parts[i]!));
        const expectedVariance = (a * (total - a)) / (total ** 2 * (total + 1));
        expect(Math.abs(mean - a / total)).toBeLessThan(5 * Math.sqrt(expectedVariance / 30_000));
        expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.08);
      });
    },
  );

  it('is deterministic for a seeded stream', () => {
    expect(sampleDirichlet([1, 1, 1], createRng(9, 2))).toEqual(sampleDirichlet([1, 1, 1], createRng(9, 2)));
  });
});
