import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Batch, SplitData } from './split-data.js';

/** Options of `batches`. */
export interface BatchOptions {
  /** Shuffle the order with this seed (the same seed gives the same order). Default: no shuffle, split order. */
  shuffleSeed?: number;
}

/**
 * Yields the split in batches of `batchSize` (the last one may be smaller), normalised per batch so
 * only one batch of float32 images exists at a time.
 */
export function* batches(split: SplitData, batchSize: number, options: BatchOptions = {}): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const order = Array.from({ length: split.count }, (_, i) => i);
  if (options.shuffleSeed !== undefined) shuffle(order, options.shuffleSeed);
  for (let start = 0; start < order.length; start += batchSize) {
    yield batchFrom(split, order.slice(start, start + batchSize));
  }
}

/** The samples at `indices`, in that order: images ÷ 255, positions ÷ image size, labels as int32. */
export function batchFrom(split: SplitData, indices: readonly number[]): Batch {
  const pixels = split.imageSize * split.imageSize * 3;
  const count = indices.length;
  const images = new Float32Array(count * pixels);
  const positions = new Float32Array(count * 2);
  const shapes = new Int32Array(count);
  const colours = new Int32Array(count);
  indices.forEach((index, row) => {
    if (!Number.isInteger(index) || index < 0 || index >= split.count) {
      throw new RangeError(`sample ${index} is outside the split (${split.count} samples)`);
    }
    const from = index * pixels;
    const to = row * pixels;
    for (let p = 0; p < pixels; p++) images[to + p] = split.images[from + p]! / 255;
    positions[2 * row] = split.positions[2 * index]! / split.imageSize;
    positions[2 * row + 1] = split.positions[2 * index + 1]! / split.imageSize;
    shapes[row] = split.shapes[index]!;
    colours[row] = split.colours[index]!;
  });
  return { count, images, positions, shapes, colours };
}

/** Fisher–Yates in place with a seeded generator. */
function shuffle(order: number[], seed: number): void {
  const rng = xoroshiro128plus(seed);
  rng.jump(); // away from the barely mixed seeded state
  for (let i = order.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}
