import { describe, expect, it } from 'vitest';
import { batches, batchFrom } from './batches.js';
import { datasetSpecSchema } from './dataset-spec.js';
import { generateSplit } from './generate-split.js';

const split = generateSplit(
  datasetSpecSchema.parse({ imageSize: 16, samples: 23, valFraction: 0, seed: 8 }),
  'train',
);

describe('batches', () => {
  it('covers the split once, in order, the last batch smaller', () => {
    const all = [...batches(split, 10)];
    expect(all.map((b) => b.count)).toEqual([10, 10, 3]);
    expect(all.flatMap((b) => Array.from(b.shapes))).toEqual(Array.from(split.shapes));
  });

  it('normalises images to [0, 1] and positions by the image size, labels as int32', () => {
    const batch = batchFrom(split, [4]);
    expect(batch.images).toBeInstanceOf(Float32Array);
    expect(batch.images[5]).toBeCloseTo(split.images[4 * 16 * 16 * 3 + 5]! / 255, 6);
    expect(Math.max(...batch.images)).toBeLessThanOrEqual(1);
    expect(batch.positions[0]).toBeCloseTo(split.positions[8]! / 16, 6);
    expect(batch.positions[1]).toBeCloseTo(split.positions[9]! / 16, 6);
    expect(batch.shapes).toEqual(Int32Array.of(split.shapes[4]!));
    expect(batch.colours).toEqual(Int32Array.of(split.colours[4]!));
  });

  it('shuffles reproducibly with a seed, as a permutation', () => {
    const order = (seed: number) =>
      [...batches(split, 5, { shuffleSeed: seed })].flatMap((b) => Array.from(b.positions));
    expect(order(1)).toEqual(order(1));
    expect(order(1)).not.toEqual(order(2));
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(sorted(order(1))).toEqual(sorted(Array.from(split.positions, (p) => p / 16)));
  });

  it('rejects a bad batch size and out-of-range indices', () => {
    expect(() => [...batches(split, 0)]).toThrow(/batch size/);
    expect(() => batchFrom(split, [23])).toThrow(/outside the split/);
  });
});
