import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import type { SplitName } from './labels.js';

/**
 * Version of the generation algorithm (draw order, rasterisation, seed derivation). It is part of every
 * dataset id, so a change to what the generator draws can never be mistaken for an old dataset.
 */
export const GENERATOR_VERSION = 'mtl-shapes/1';

/** What to generate. Validated once here; everything downstream takes the parsed `DatasetSpec`. */
export const datasetSpecSchema = z.strictObject({
  /** Side of the square RGB images in pixels. Default 128 (the study's). */
  imageSize: z.int().min(16).max(1024).default(128),
  /** Train + validation images. Required. */
  samples: z.int().min(1).max(10_000_000),
  /** Share of `samples` held out for validation, rounded to the nearest image. Default 0.2. */
  valFraction: z.number().min(0).max(1).default(0.2),
  /** Held-out test images, generated from their own streams. Default 800. */
  test: z.int().min(0).max(10_000_000).default(800),
  /** Master seed; every split and shard derives its own stream from it. Required, a uint32. */
  seed: z.int().min(0).max(0xffff_ffff),
  /** Images per shard (one shard = one worker job). Default 500. */
  shardSize: z.int().min(1).max(100_000).default(500),
});

export type DatasetSpec = z.output<typeof datasetSpecSchema>;
export type DatasetSpecInput = z.input<typeof datasetSpecSchema>;

/** Content address of a dataset: hex sha256 over the generator version and the canonical spec. */
export function datasetId(spec: DatasetSpec): string {
  const canonical = stringify(spec);
  return createHash('sha256').update(`${GENERATOR_VERSION}\n${canonical}`).digest('hex');
}

/** Number of images in each split. */
export function splitCount(spec: DatasetSpec, split: SplitName): number {
  const val = Math.round(spec.samples * spec.valFraction);
  switch (split) {
    case 'train':
      return spec.samples - val;
    case 'val':
      return val;
    case 'test':
      return spec.test;
  }
}

/** Number of shards of a split; every shard holds `shardSize` images but the last. */
export function shardCount(spec: DatasetSpec, split: SplitName): number {
  return Math.ceil(splitCount(spec, split) / spec.shardSize);
}

/** Images in one shard of a split. */
export function shardLength(spec: DatasetSpec, split: SplitName, shardIndex: number): number {
  const count = splitCount(spec, split);
  return Math.max(0, Math.min(spec.shardSize, count - shardIndex * spec.shardSize));
}
