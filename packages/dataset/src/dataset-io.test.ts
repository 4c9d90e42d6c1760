import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataset } from './dataset-reader.js';
import { datasetSpecSchema } from './dataset-spec.js';
import { ManifestError, ShardCorruptedError, ShardMissingError } from './errors.js';
import { generateSplit } from './generate-split.js';
import { SPLITS } from './labels.js';
import { finalizeDataset, writeDataset, writeShard } from './shard-writer.js';

const spec = datasetSpecSchema.parse({ imageSize: 32, samples: 50, test: 12, shardSize: 8, seed: 42 });
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-dataset-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeDataset / openDataset', () => {
  it('round-trips every split exactly as generated', async () => {
    const manifest = await writeDataset(spec, dir);
    expect(manifest.splits.train.shards).toHaveLength(5);
    expect(manifest.splits.test.shards.map((s) => s.count)).toEqual([8, 4]);
    const dataset = await openDataset(dir);
    for (const split of SPLITS) {
      const read = await dataset.readSplit(split);
      const made = generateSplit(spec, split);
      expect(read.count).toBe(made.count);
      expect(sha(read.images)).toBe(sha(made.images));
      expect(Array.from(read.positions)).toEqual(Array.from(made.positions));
      expect(Array.from(read.shapes)).toEqual(Array.from(made.shapes));
      expect(Array.from(read.colours)).toEqual(Array.from(made.colours));
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('streams shards larger than one write chunk intact', async () => {
    const big = datasetSpecSchema.parse({
      imageSize: 16,
      samples: 100,
      valFraction: 0,
      test: 0,
      shardSize: 70,
      seed: 4,
    });
    await writeDataset(big, dir);
    const read = await (await openDataset(dir)).readSplit('train');
    const made = generateSplit(big, 'train');
    expect(sha(read.images)).toBe(sha(made.images));
    expect(Array.from(read.positions)).toEqual(Array.from(made.positions));
  });

  it('writes byte-identical files on every run', async () => {
    const again = await mkdtemp(join(tmpdir(), 'mtl-dataset-'));
    try {
      await writeDataset(spec, dir);
      await writeDataset(spec, again);
      const files = (await readdir(dir)).sort();
      expect(files).toEqual((await readdir(again)).sort());
      for (const file of files) {
        expect(sha(await readFile(join(dir, file))), file).toBe(sha(await readFile(join(again, file))));
      }
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });

  it('gives the same dataset from shards written independently, in any order, then finalized', async () => {
    const whole = await writeDataset(spec, dir);
    const jobs = await mkdtemp(join(tmpdir(), 'mtl-dataset-'));
    try {
      const order = SPLITS.flatMap((split) =>
        whole.splits[split].shards.map((s) => [split, s.index] as const),
      ).reverse();
      for (const [split, index] of order) await writeShard(spec, jobs, split, index);
      expect(await finalizeDataset(spec, jobs)).toEqual(whole);
    } finally {
      await rm(jobs, { recursive: true, force: true });
    }
  });

  it('refuses to finalize while a shard is missing, naming its file', async () => {
    await writeShard(spec, dir, 'train', 0);
    await expect(finalizeDataset(spec, dir)).rejects.toThrow(ShardMissingError);
    await expect(finalizeDataset(spec, dir)).rejects.toThrow(/train-00001-images\.npy/);
  });
});

describe('reading damaged datasets', () => {
  beforeEach(async () => {
    await writeDataset(spec, dir);
  });

  it('names the shard whose checksum fails', async () => {
    const file = join(dir, 'val-00000-images.npy');
    const bytes = await readFile(file);
    bytes[bytes.length - 100]! ^= 0xff;
    await writeFile(file, bytes);
    const dataset = await openDataset(dir);
    const error = await dataset.readSplit('val').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardCorruptedError);
    expect((error as ShardCorruptedError).file).toBe(file);
    expect((error as Error).message).toMatch(/val-00000-images\.npy: checksum mismatch/);
    await expect(dataset.readSplit('train')).resolves.toMatchObject({ count: 40 });
  });

  it('names a truncated shard', async () => {
    const file = join(dir, 'train-00002-positions.npy');
    await truncate(file, 100);
    const dataset = await openDataset(dir);
    await expect(dataset.readSplit('train')).rejects.toThrow(
      /train-00002-positions\.npy: truncated: 100 bytes/,
    );
  });

  it('names a missing shard', async () => {
    const file = join(dir, 'test-00001-shapes.npy');
    await unlink(file);
    const error = await (await openDataset(dir)).readShard('test', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardMissingError);
    expect((error as ShardMissingError).file).toBe(file);
  });

  it('names the manifest when it is missing, not JSON, or has a bad field', async () => {
    const manifestFile = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));

    await writeFile(manifestFile, '{"format":');
    await expect(openDataset(dir)).rejects.toThrow(/manifest\.json: not valid JSON/);

    await writeFile(
      manifestFile,
      JSON.stringify({ ...manifest, splits: { ...manifest.splits, val: { count: -1, shards: [] } } }),
    );
    const error = await openDataset(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).file).toBe(manifestFile);
    expect((error as Error).message).toMatch(/field splits\.val\.count/);

    await writeFile(manifestFile, JSON.stringify({ ...manifest, spec: { ...manifest.spec, shardSize: 9 } }));
    await expect(openDataset(dir)).rejects.toThrow(/field datasetId: does not match the spec/);

    await writeFile(manifestFile, JSON.stringify({ ...manifest, spec: { ...manifest.spec, seed: 43 } }));
    await expect(openDataset(dir)).rejects.toThrow(/fields imageSize\/seed: disagree with the spec/);

    await unlink(manifestFile);
    await expect(openDataset(dir)).rejects.toThrow(ManifestError);
  });
});
