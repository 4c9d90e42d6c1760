import type { Direction } from '@repo/metrics';
import { isBetter } from './metrics.js';
import type { Distribution, JsonValue, ParameterSpace } from './parameter-space.js';
import type { Rng } from './rng.js';
import { samplePoint, sampleValue } from './sample.js';
import type { ParameterPoint } from './trial-config.js';

/** A finished configuration and its objective (NaN for a diverged trial: counted among the worst). */
export interface Observation {
  point: ParameterPoint;
  value: number;
}

/** Settings of the Tree-structured Parzen Estimator. */
export interface TpeOptions {
  /** Observations needed before the model is used; until then suggestions are uniform draws. Default 10. */
  startup?: number;
  /** Candidates drawn from the good density per parameter; the best ratio wins. Default 24. */
  candidates?: number;
  /** Share of observations counted as good (at least one). Default 0.25. */
  gamma?: number;
  /** Whether lower or higher objectives are better. Default minimize. */
  direction?: Direction;
}

/**
 * Suggests the next configuration with the Tree-structured Parzen Estimator (Bergstra et al., 2011),
 * in its univariate form: the observations are split into the best γ share ("good") and the rest
 * ("bad"); for each parameter a density is fitted to each group — a Parzen mixture of truncated
 * normals (log space for log-uniform) plus a wide prior component, or smoothed frequencies for a
 * choice — and of `candidates` values drawn from the good density, the one maximising
 * good(x) / bad(x) is suggested. Deterministic for a given `rng` state and observation order.
 */
export function suggest(
  space: ParameterSpace,
  observations: readonly Observation[],
  rng: Rng,
  options: TpeOptions = {},
): ParameterPoint {
  const startup = options.startup ?? 10;
  if (observations.length < Math.max(1, startup)) return samplePoint(space, rng);
  const direction = options.direction ?? 'minimize';
  const ranked = observations
    .map((observation, index) => ({ observation, index }))
    .sort((a, b) => compare(a.observation.value, b.observation.value, direction) || a.index - b.index)
    .map(({ observation }) => observation.point);
  const goodCount = Math.max(1, Math.ceil((options.gamma ?? 0.25) * ranked.length));
  const good = ranked.slice(0, goodCount);
  const bad = ranked.slice(goodCount);
  const candidates = options.candidates ?? 24;
  const point: Record<string, JsonValue> = {};
  for (const { name, distribution } of space) {
    const goodValues = good.map((p) => p[name]).filter((v) => v !== undefined);
    const badValues = bad.map((p) => p[name]).filter((v) => v !== undefined);
    point[name] = suggestValue(distribution, goodValues, badValues, rng, candidates);
  }
  return point;
}

function compare(a: number, b: number, direction: Direction): number {
  if (isBetter(a, b, direction)) return -1;
  return isBetter(b, a, direction) ? 1 : 0;
}

function suggestValue(
  distribution: Distribution,
  good: readonly JsonValue[],
  bad: readonly JsonValue[],
  rng: Rng,
  candidates: number,
): JsonValue {
  switch (distribution.kind) {
    case 'constant':
      return distribution.value;
    case 'dirichlet':
      // Univariate TPE has no density on the simplex: its parameters are drawn from their prior.
      return sampleValue(distribution, rng);
    case 'choice': {
      const keys = distribution.values.map((value) => JSON.stringify(value));
      const goodDensity = categorical(keys, good);
      const badDensity = categorical(keys, bad);
      const index = best(
        candidates,
        () => drawIndex(goodDensity, rng),
        (k) => {
          return Math.log(goodDensity[k] as number) - Math.log(badDensity[k] as number);
        },
      );
      return distribution.values[index] as JsonValue;
    }
    default: {
      const scale = numericScale(distribution);
      const toInternal = (values: readonly JsonValue[]) =>
        values.filter((v): v is number => typeof v === 'number').map(scale.forward);
      const goodDensity = new ParzenEstimator(toInternal(good), scale.low, scale.high);
      const badDensity = new ParzenEstimator(toInternal(bad), scale.low, scale.high);
      const x = best(
        candidates,
        () => goodDensity.sample(rng),
        (v) => goodDensity.logPdf(v) - badDensity.logPdf(v),
      );
      return scale.backward(x);
    }
  }
}

/** The candidate with the highest score (the first on ties). */
function best<T>(count: number, draw: () => T, score: (candidate: T) => number): T {
  let winner = draw();
  let winnerScore = score(winner);
  for (let i = 1; i < count; i++) {
    const candidate = draw();
    const candidateScore = score(candidate);
    if (candidateScore > winnerScore) {
      winner = candidate;
      winnerScore = candidateScore;
    }
  }
  return winner;
}

/** Frequencies with one pseudo-count per value (a uniform prior), so no choice has zero density. */
function categorical(keys: readonly string[], values: readonly JsonValue[]): number[] {
  const counts = keys.map(() => 1);
  for (const value of values) {
    const index = keys.indexOf(JSON.stringify(value));
    if (index >= 0) counts[index] = (counts[index] as number) + 1;
  }
  const total = counts.reduce((sum, count) => sum + count, 0);
  return counts.map((count) => count / total);
}

function drawIndex(weights: readonly number[], rng: Rng): number {
  let u = rng.float();
  for (const [index, weight] of weights.entries()) {
    u -= weight;
    if (u < 0) return index;
  }
  return weights.length - 1;
}

/** Where a numeric parameter is modelled: log space for log-uniform, ±½ around whole numbers for int-uniform. */
function numericScale(distribution: Extract<Distribution, { min: number }>) {
  const { min, max } = distribution;
  if (distribution.kind === 'log-uniform') {
    return {
      low: Math.log(min),
      high: Math.log(max),
      forward: Math.log,
      backward: (x: number) => clamp(Math.exp(x), min, max),
    };
  }
  if (distribution.kind === 'int-uniform') {
    return {
      low: min - 0.5,
      high: max + 0.5,
      forward: (v: number) => v,
      backward: (x: number) => clamp(Math.round(x), min, max),
    };
  }
  return { low: min, high: max, forward: (v: number) => v, backward: (x: number) => clamp(x, min, max) };
}

/**
 * A mixture of normals truncated to [low, high], one per observation plus a prior centred on the range
 * with the range as its width. Each observation's width is the larger gap to its neighbours (the range
 * ends bound the outermost), clipped to [range / min(100, n + 1), range], as in hyperopt.
 */
class ParzenEstimator {
  private readonly means: number[];
  private readonly sigmas: number[];
  private readonly norms: number[];

  constructor(
    values: readonly number[],
    private readonly low: number,
    private readonly high: number,
  ) {
    const range = high - low;
    const components = [
      ...values.map((mean) => ({ mean, prior: false })),
      { mean: (low + high) / 2, prior: true },
    ];
    components.sort((a, b) => a.mean - b.mean);
    const minSigma = range / Math.min(100, components.length);
    this.means = components.map((component) => component.mean);
    this.sigmas = components.map(({ mean, prior }, i) => {
      if (prior) return range;
      const left = mean - (components[i - 1]?.mean ?? low);
      const right = (components[i + 1]?.mean ?? high) - mean;
      return clamp(Math.max(left, right), minSigma, range);
    });
    this.norms = this.means.map((mean, i) => {
      const sigma = this.sigmas[i] as number;
      return Math.max(normalCdf((high - mean) / sigma) - normalCdf((low - mean) / sigma), 1e-12);
    });
  }

  sample(rng: Rng): number {
    const component = rng.int(0, this.means.length - 1);
    const mean = this.means[component] as number;
    const sigma = this.sigmas[component] as number;
    for (let attempt = 0; attempt < 100; attempt++) {
      const x = mean + sigma * normal(rng);
      if (x >= this.low && x <= this.high) return x;
    }
    return this.low + (this.high - this.low) * rng.float();
  }

  logPdf(x: number): number {
    let density = 0;
    for (const [i, mean] of this.means.entries()) {
      const sigma = this.sigmas[i] as number;
      const z = (x - mean) / sigma;
      density += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI) * (this.norms[i] as number));
    }
    return Math.log(Math.max(density / this.means.length, 1e-300));
  }
}

/** A standard normal draw (Box–Muller). */
function normal(rng: Rng): number {
  const u = 1 - rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

/** Φ through erf (Abramowitz & Stegun 7.1.26; absolute error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}
