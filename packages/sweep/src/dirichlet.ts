import type { Rng } from './rng.js';

/**
 * A draw from the Dirichlet distribution with these concentrations (each > 0): K gamma variates
 * divided by their sum, so the parts are ≥ 0 and sum to 1. Concentration 1 each is uniform on the
 * simplex; larger values gather near its centre, smaller ones near its corners.
 */
export function sampleDirichlet(concentration: readonly number[], rng: Rng): number[] {
  const parts = concentration.map((alpha) => sampleGamma(alpha, rng));
  const sum = parts.reduce((a, b) => a + b, 0);
  return parts.map((part) => part / sum);
}

/**
 * Gamma(shape α, scale 1) by Marsaglia & Tsang (2000): a squeeze on a cubed normal for α ≥ 1, and
 * Gamma(α + 1)·U^(1/α) below 1.
 */
export function sampleGamma(alpha: number, rng: Rng): number {
  if (alpha < 1) return sampleGamma(alpha + 1, rng) * (1 - rng.float()) ** (1 / alpha);
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.float();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Box–Muller: one standard normal from two uniforms. */
function standardNormal(rng: Rng): number {
  const u = 1 - rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}
