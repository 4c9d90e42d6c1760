import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { referenceSample } from '../test/reference-generator.js';
import { type DatasetSpec, datasetSpecSchema, splitCount } from './dataset-spec.js';
import { objectSizeRange } from './generate-samples.js';
import { generateShard, generateSplit } from './generate-split.js';
import { COLOUR_RGB, COLOURS, SHAPES, SPLITS } from './labels.js';
import { ShardStreams } from './shard-streams.js';
import type { SplitData } from './split-data.js';

const spec = (input: Partial<DatasetSpec> = {}) =>
  datasetSpecSchema.parse({ samples: 40, test: 20, seed: 1, ...input });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const imageHashes = (split: SplitData) => {
  const pixels = split.imageSize ** 2 * 3;
  return Array.from({ length: split.count }, (_, i) =>
    sha(split.images.subarray(i * pixels, (i + 1) * pixels)),
  );
};

describe('generateSplit', () => {
  it('is deterministic in the spec and changes with the seed', () => {
    const a = generateSplit(spec({ seed: 7 }), 'train');
    const b = generateSplit(spec({ seed: 7 }), 'train');
    const c = generateSplit(spec({ seed: 8 }), 'train');
    expect(sha(a.images)).toBe(sha(b.images));
    expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
    expect(sha(a.images)).not.toBe(sha(c.images));
    expect(Array.from(a.positions)).not.toEqual(Array.from(c.positions));
  });

  it('matches a literal transcription of the study generator, image by image', () => {
    const s = spec({ imageSize: 128, samples: 10, valFraction: 0, shardSize: 4, seed: 99 });
    const split = generateSplit(s, 'train');
    const streams = new ShardStreams(s.seed);
    let i = 0;
    for (let shard = 0; shard < 3; shard++) {
      const rng = streams.forShard('train', shard);
      for (let j = 0; j < Math.min(4, 10 - shard * 4); j++, i++) {
        const ref = referenceSample(rng, 128);
        const pixels = 128 * 128 * 3;
        expect(sha(split.images.subarray(i * pixels, (i + 1) * pixels))).toBe(sha(ref.image));
        expect([split.positions[2 * i], split.positions[2 * i + 1]]).toEqual(ref.label);
        expect([split.shapes[i], split.colours[i]]).toEqual([ref.shape, ref.colour]);
      }
    }
    expect(i).toBe(10);
  });

  it.each([128, 64, 33])('puts the object colour at every label pixel (size %i)', (imageSize) => {
    const split = generateSplit(spec({ imageSize, samples: 300, seed: imageSize }), 'train');
    for (let i = 0; i < split.count; i++) {
      const [x, y] = [split.positions[2 * i]!, split.positions[2 * i + 1]!];
      expect(Number.isInteger(x) && Number.isInteger(y)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(imageSize);
      const at = ((i * imageSize + y) * imageSize + x) * 3;
      const rgb = [split.images[at], split.images[at + 1], split.images[at + 2]];
      expect(rgb, `sample ${i} (${SHAPES[split.shapes[i]!]})`).toEqual([
        ...COLOUR_RGB[COLOURS[split.colours[i]!]!],
      ]);
    }
  });

  it('draws shapes and colours uniformly (3,000 samples)', () => {
    const split = generateSplit(spec({ imageSize: 32, samples: 3000, valFraction: 0, seed: 5 }), 'train');
    const shapeCounts = SHAPES.map((_, k) => split.shapes.filter((s) => s === k).length);
    const colourCounts = COLOURS.map((_, k) => split.colours.filter((c) => c === k).length);
    // Expected 1,000 and 500; ±12 % is over four standard deviations.
    for (const n of shapeCounts) expect(Math.abs(n - 1000)).toBeLessThan(120);
    for (const n of colourCounts) expect(Math.abs(n - 500)).toBeLessThan(60);
    expect(shapeCounts.reduce((a, b) => a + b)).toBe(3000);
  });

  it('scales the object size with the image size', () => {
    expect(objectSizeRange(128)).toEqual({ min: 30, max: 60 });
    expect(objectSizeRange(64)).toEqual({ min: 15, max: 30 });
    expect(objectSizeRange(256)).toEqual({ min: 60, max: 120 });
  });

  it('gives train, val and test disjoint images', () => {
    const s = spec({ imageSize: 32, samples: 500, test: 300, shardSize: 100, seed: 3 });
    const seen = new Map<string, string>();
    for (const split of SPLITS) {
      const data = generateSplit(s, split);
      expect(data.count).toBe(splitCount(s, split));
      for (const [i, hash] of imageHashes(data).entries()) {
        expect(seen.get(hash), `${split}[${i}]`).toBeUndefined();
        seen.set(hash, `${split}[${i}]`);
      }
    }
    expect(seen.size).toBe(800);
  });

  it('generates any shard alone, identical to its place in the split', () => {
    const s = spec({ imageSize: 32, samples: 50, shardSize: 7, seed: 11 });
    const whole = generateSplit(s, 'train');
    const alone = generateShard(s, 'train', 3);
    const pixels = 32 * 32 * 3;
    expect(sha(alone.images)).toBe(sha(whole.images.subarray(21 * pixels, 28 * pixels)));
    expect(() => generateShard(s, 'train', 6)).toThrow(/no shard 6/);
  });

  it('splits samples into train and val by valFraction (rounded)', () => {
    const s = spec({ samples: 2500, valFraction: 0.2 });
    expect([splitCount(s, 'train'), splitCount(s, 'val'), splitCount(s, 'test')]).toEqual([2000, 500, 20]);
  });
});
