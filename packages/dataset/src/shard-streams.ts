import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { SPLITS, type SplitName } from './labels.js';

/**
 * Random streams of the shards of one master seed.
 *
 * Shard k of split s draws from xoroshiro128+(seed) jumped `1 + k·3 + index(s)` times. A jump skips
 * 2^64 draws, so every (split, shard) owns its own non-overlapping stretch of one sequence: the streams
 * are disjoint by construction (test images can never repeat a training image's draws), and any shard
 * can be generated alone from (seed, split, shard), which is what one-shard-per-job workers need.
 * The extra first jump keeps shard 0 of train away from the raw seeded state, whose first outputs
 * are barely mixed.
 */
export class ShardStreams {
  readonly seed: number;
  private readonly cursors = new Map<SplitName, { shard: number; rng: JumpableRandomGenerator }>();

  constructor(seed: number) {
    this.seed = seed;
  }

  /** A fresh generator positioned at the start of the shard's stream. */
  forShard(split: SplitName, shardIndex: number): JumpableRandomGenerator {
    let cursor = this.cursors.get(split);
    if (cursor === undefined || cursor.shard > shardIndex) {
      const rng = xoroshiro128plus(this.seed);
      jump(rng, 1 + SPLITS.indexOf(split));
      cursor = { shard: 0, rng };
      this.cursors.set(split, cursor);
    }
    // Shards of one split are usually asked for in order: walk on from the last one.
    jump(cursor.rng, (shardIndex - cursor.shard) * SPLITS.length);
    cursor.shard = shardIndex;
    return cursor.rng.clone();
  }
}

function jump(rng: JumpableRandomGenerator, times: number): void {
  for (let i = 0; i < times; i++) rng.jump();
}
