import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A seeded source of random numbers (mutable: each draw advances it). */
export interface Rng {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform whole number in [min, max], both included. */
  int(min: number, max: number): number;
}

/**
 * The random stream `stream` of a seed: a fresh xoroshiro128+ seeded by mixing (seed, stream), so trial k
 * of a search draws the same values however many trials come before or after it.
 */
export function createRng(seed: number, stream = 0): Rng {
  const generator: RandomGenerator = xoroshiro128plus(mix(mix(seed >>> 0) ^ mix(stream + 0x9e3779b9)));
  return {
    float: () => uniformFloat64(generator),
    int: (min, max) => uniformInt(generator, min, max),
  };
}

/** murmur3's 32-bit finaliser: neighbouring inputs give unrelated outputs. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
