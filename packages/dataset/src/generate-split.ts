import { type DatasetSpec, shardCount, shardLength, splitCount } from './dataset-spec.js';
import { generateSamples } from './generate-samples.js';
import type { SplitName } from './labels.js';
import { ShardStreams } from './shard-streams.js';
import type { SplitData } from './split-data.js';

/** One shard, in memory, exactly as `writeShard` stores it. */
export function generateShard(
  spec: DatasetSpec,
  split: SplitName,
  shardIndex: number,
  streams: ShardStreams = new ShardStreams(spec.seed),
): SplitData {
  const shards = shardCount(spec, split);
  if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex >= shards) {
    throw new RangeError(`${split} has ${shards} shard(s); there is no shard ${shardIndex}`);
  }
  const rng = streams.forShard(split, shardIndex);
  return generateSamples(rng, spec.imageSize, shardLength(spec, split, shardIndex));
}

/** A whole split in memory, deterministic in (spec, split): the concatenation of its shards. */
export function generateSplit(spec: DatasetSpec, split: SplitName): SplitData {
  const streams = new ShardStreams(spec.seed);
  const parts: SplitData[] = [];
  for (let k = 0; k < shardCount(spec, split); k++) parts.push(generateShard(spec, split, k, streams));
  return concatSplits(spec.imageSize, splitCount(spec, split), parts);
}

/** Joins shards (in order) into one split. */
export function concatSplits(imageSize: number, count: number, parts: readonly SplitData[]): SplitData {
  const pixels = imageSize * imageSize * 3;
  const out = {
    imageSize,
    count,
    images: new Uint8Array(count * pixels),
    positions: new Float32Array(count * 2),
    shapes: new Uint8Array(count),
    colours: new Uint8Array(count),
  };
  let at = 0;
  for (const part of parts) {
    out.images.set(part.images, at * pixels);
    out.positions.set(part.positions, at * 2);
    out.shapes.set(part.shapes, at);
    out.colours.set(part.colours, at);
    at += part.count;
  }
  if (at !== count) throw new RangeError(`shards hold ${at} images, expected ${count}`);
  return out;
}
