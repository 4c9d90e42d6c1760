import { sampleDirichlet } from './dirichlet.js';
import type { Distribution, JsonValue, ParameterSpace } from './parameter-space.js';
import type { Rng } from './rng.js';
import type { ParameterPoint } from './trial-config.js';

/** One value drawn from a distribution (log-uniform is uniform in log space; dirichlet gives an object). */
export function sampleValue(distribution: Distribution, rng: Rng): JsonValue {
  switch (distribution.kind) {
    case 'constant':
      return distribution.value;
    case 'choice':
      return distribution.values[rng.int(0, distribution.values.length - 1)] as JsonValue;
    case 'uniform':
      return distribution.min + (distribution.max - distribution.min) * rng.float();
    case 'log-uniform': {
      const low = Math.log(distribution.min);
      return Math.exp(low + (Math.log(distribution.max) - low) * rng.float());
    }
    case 'int-uniform':
      return rng.int(distribution.min, distribution.max);
    case 'dirichlet': {
      const parts = sampleDirichlet(distribution.concentration, rng);
      return Object.fromEntries(
        distribution.keys.map((key, i) => [key, (parts[i] as number) * distribution.total]),
      );
    }
  }
}

/** A point drawn uniformly from the space, parameters in order (one draw each; constants draw nothing). */
export function samplePoint(space: ParameterSpace, rng: Rng): ParameterPoint {
  const point: Record<string, JsonValue> = {};
  for (const { name, distribution } of space) point[name] = sampleValue(distribution, rng);
  return point;
}
