import { z } from 'zod';
import { datasetSpecSchema } from './dataset-spec.js';
import { COLOURS, SHAPES, SPLITS, type SplitName } from './labels.js';
import type { NpyDtype } from './npy.js';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'mtl-shapes-npy';
export const FORMAT_VERSION = 1;

/** The arrays of a shard, one `.npy` file each, with their NumPy dtype and shape for n images of side S. */
export const SHARD_ARRAYS = {
  images: { dtype: '|u1', shape: (n: number, s: number) => [n, s, s, 3] },
  positions: { dtype: '<f4', shape: (n: number) => [n, 2] },
  shapes: { dtype: '|u1', shape: (n: number) => [n] },
  colours: { dtype: '|u1', shape: (n: number) => [n] },
} as const satisfies Record<string, { dtype: NpyDtype; shape: (n: number, s: number) => number[] }>;
export type ShardArrayName = keyof typeof SHARD_ARRAYS;
export const SHARD_ARRAY_NAMES = Object.keys(SHARD_ARRAYS) as ShardArrayName[];

/** File name of one array of one shard, e.g. `train-00003-images.npy` (flat, beside the manifest). */
export function shardFileName(split: SplitName, shardIndex: number, array: ShardArrayName): string {
  return `${split}-${String(shardIndex).padStart(5, '0')}-${array}.npy`;
}

const fileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name beside the manifest')
  .refine((name) => !name.includes('..'), 'a plain file name beside the manifest');

const shardFileSchema = z.strictObject({
  file: fileName,
  dtype: z.string(),
  shape: z.array(z.int().min(0)),
  bytes: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'hex sha256'),
});

const shardRecordSchema = z.strictObject({
  split: z.enum(SPLITS),
  index: z.int().min(0),
  count: z.int().min(0),
  files: z.strictObject({
    images: shardFileSchema,
    positions: shardFileSchema,
    shapes: shardFileSchema,
    colours: shardFileSchema,
  }),
});

const splitRecordSchema = z.strictObject({ count: z.int().min(0), shards: z.array(shardRecordSchema) });

export const manifestSchema = z.strictObject({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  generator: z.string(),
  datasetId: z.string(),
  spec: datasetSpecSchema,
  seed: z.int(),
  imageSize: z.int(),
  labels: z.strictObject({
    shapes: z.array(z.string()).refine(sameAs(SHAPES), `must be ${JSON.stringify(SHAPES)}`),
    colours: z.array(z.string()).refine(sameAs(COLOURS), `must be ${JSON.stringify(COLOURS)}`),
    colourRgb: z.array(z.tuple([z.int(), z.int(), z.int()])),
  }),
  splits: z.strictObject({ train: splitRecordSchema, val: splitRecordSchema, test: splitRecordSchema }),
});

// Label indices are only meaningful in our order: a manifest listing other labels is not ours.
function sameAs(expected: readonly string[]) {
  return (names: string[]) => names.length === expected.length && names.every((n, i) => n === expected[i]);
}

/** `manifest.json`: everything a reader (ours or NumPy) needs to find, check and interpret the shards. */
export type DatasetManifest = z.infer<typeof manifestSchema>;
/** One shard: its split, index, image count, and per array the file, dtype, shape, size and sha256. */
export type ShardRecord = z.infer<typeof shardRecordSchema>;
export type ShardFile = z.infer<typeof shardFileSchema>;
