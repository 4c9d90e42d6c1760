import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AtomicFile, withAtomicFile } from './atomic-file.js';
import {
  type DatasetSpec,
  datasetId,
  GENERATOR_VERSION,
  shardCount,
  shardLength,
  splitCount,
} from './dataset-spec.js';
import { ShardCorruptedError, ShardMissingError } from './errors.js';
import { allocateSamples, generateSamples } from './generate-samples.js';
import { COLOUR_RGB, COLOURS, SHAPES, SPLITS, type SplitName } from './labels.js';
import {
  type DatasetManifest,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_FILE,
  SHARD_ARRAY_NAMES,
  SHARD_ARRAYS,
  type ShardArrayName,
  type ShardFile,
  type ShardRecord,
  shardFileName,
} from './manifest.js';
import { npyHeader, parseNpyHeader } from './npy.js';
import { ShardStreams } from './shard-streams.js';
import { writeFileWhole } from './whole-file.js';

/**
 * Images generated and written per step: small enough that the two alternating chunk buffers stay
 * in cache and never need fresh pages (first-touching memory costs more than drawing the images).
 */
const CHUNK_IMAGES = 32;

/**
 * Generates one shard from its own stream (seed, split, shardIndex) and writes its four `.npy` files
 * atomically into `dir`. Independent of every other shard: one call is one worker job. Images stream
 * to disk in chunks, each written by the I/O threads while the next is drawn.
 */
export async function writeShard(
  spec: DatasetSpec,
  dir: string,
  split: SplitName,
  shardIndex: number,
  streams: ShardStreams = new ShardStreams(spec.seed),
): Promise<ShardRecord> {
  if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex >= shardCount(spec, split)) {
    throw new RangeError(`${split} has ${shardCount(spec, split)} shard(s); there is no shard ${shardIndex}`);
  }
  const count = shardLength(spec, split, shardIndex);
  const size = spec.imageSize;
  const rng = streams.forShard(split, shardIndex);
  const labels = {
    positions: new Float32Array(count * 2),
    shapes: new Uint8Array(count),
    colours: new Uint8Array(count),
  };
  const chunks = [allocateSamples(size, CHUNK_IMAGES), allocateSamples(size, CHUNK_IMAGES)];
  await mkdir(dir, { recursive: true });

  const images = await writeArray(dir, split, shardIndex, 'images', count, size, async (file, hash) => {
    let writing: Promise<void> = Promise.resolve();
    for (let done = 0, turn = 0; done < count; done += CHUNK_IMAGES, turn++) {
      const part = generateSamples(rng, size, Math.min(CHUNK_IMAGES, count - done), chunks[turn % 2]);
      labels.positions.set(part.positions, done * 2);
      labels.shapes.set(part.shapes, done);
      labels.colours.set(part.colours, done);
      await writing;
      hash.update(part.images);
      writing = file.write(part.images);
    }
    await writing;
  });
  const files = { images } as Record<ShardArrayName, ShardFile>;
  for (const array of ['positions', 'shapes', 'colours'] as const) {
    const body = array === 'positions' ? float32LE(labels.positions) : labels[array];
    files[array] = await writeArray(dir, split, shardIndex, array, count, size, async (file, hash) => {
      hash.update(body);
      await file.write(body);
    });
  }
  return { split, index: shardIndex, count, files };
}

/** Writes one `.npy` file: its header, then whatever `fill` writes (and hashes). */
async function writeArray(
  dir: string,
  split: SplitName,
  shardIndex: number,
  array: ShardArrayName,
  count: number,
  imageSize: number,
  fill: (file: AtomicFile, hash: ReturnType<typeof createHash>) => Promise<void>,
): Promise<ShardFile> {
  const { dtype, shape } = SHARD_ARRAYS[array];
  const dims = shape(count, imageSize);
  const header = npyHeader(dtype, dims);
  const file = shardFileName(split, shardIndex, array);
  const hash = createHash('sha256').update(header);
  await withAtomicFile(join(dir, file), async (out) => {
    await out.write(header);
    await fill(out, hash);
  });
  const bytes = header.length + dims.reduce((a, b) => a * b, 1) * bytesPerItem(dtype);
  return { file, dtype, shape: dims, bytes, sha256: hash.digest('hex') };
}

/**
 * Writes `manifest.json` once every shard of the spec is in `dir` (written by `writeShard`, possibly by
 * other processes). Hashes each file; a missing or malformed one fails with an error naming it.
 */
export async function finalizeDataset(spec: DatasetSpec, dir: string): Promise<DatasetManifest> {
  const records: Record<SplitName, ShardRecord[]> = { train: [], val: [], test: [] };
  for (const split of SPLITS) {
    for (let k = 0; k < shardCount(spec, split); k++)
      records[split].push(await recordFromFiles(spec, dir, split, k));
  }
  return writeManifest(spec, dir, records);
}

/** Options of `writeDataset`. */
export interface WriteDatasetOptions {
  /** Called after each shard is written (progress). Default: none. */
  onShard?: (record: ShardRecord) => void;
}

/** Generates and writes a whole dataset (all splits and shards, then the manifest) into `dir`. */
export async function writeDataset(
  spec: DatasetSpec,
  dir: string,
  options: WriteDatasetOptions = {},
): Promise<DatasetManifest> {
  const streams = new ShardStreams(spec.seed);
  const records: Record<SplitName, ShardRecord[]> = { train: [], val: [], test: [] };
  for (const split of SPLITS) {
    for (let k = 0; k < shardCount(spec, split); k++) {
      const record = await writeShard(spec, dir, split, k, streams);
      records[split].push(record);
      options.onShard?.(record);
    }
  }
  return writeManifest(spec, dir, records);
}

async function writeManifest(
  spec: DatasetSpec,
  dir: string,
  records: Record<SplitName, ShardRecord[]>,
): Promise<DatasetManifest> {
  const split = (name: SplitName) => ({ count: splitCount(spec, name), shards: records[name] });
  const manifest: DatasetManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    generator: GENERATOR_VERSION,
    datasetId: datasetId(spec),
    spec,
    seed: spec.seed,
    imageSize: spec.imageSize,
    labels: { shapes: [...SHAPES], colours: [...COLOURS], colourRgb: COLOURS.map((c) => [...COLOUR_RGB[c]]) },
    splits: { train: split('train'), val: split('val'), test: split('test') },
  };
  await mkdir(dir, { recursive: true });
  await writeFileWhole(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function recordFromFiles(
  spec: DatasetSpec,
  dir: string,
  split: SplitName,
  shardIndex: number,
): Promise<ShardRecord> {
  const count = shardLength(spec, split, shardIndex);
  const files = {} as Record<ShardArrayName, ShardFile>;
  for (const array of SHARD_ARRAY_NAMES) {
    const file = shardFileName(split, shardIndex, array);
    const path = join(dir, file);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT'
        ? new ShardMissingError(path, 'shard file not written', { cause: error })
        : error;
    });
    const { dtype, shape } = SHARD_ARRAYS[array];
    const dims = shape(count, spec.imageSize);
    const layout = parseNpyHeader(bytes, path);
    const expectedBytes = layout.dataOffset + dims.reduce((a, b) => a * b, 1) * bytesPerItem(dtype);
    if (layout.dtype !== dtype || layout.shape.join() !== dims.join() || bytes.length !== expectedBytes) {
      throw new ShardCorruptedError(
        path,
        `expected ${dtype} ${JSON.stringify(dims)} in ${expectedBytes} bytes`,
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    files[array] = { file, dtype, shape: dims, bytes: bytes.length, sha256 };
  }
  return { split, index: shardIndex, count, files };
}

function bytesPerItem(dtype: string): number {
  return dtype === '<f4' ? 4 : 1;
}

/** float32 as NumPy's '<f4' expects: little-endian whatever the platform. */
function float32LE(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (const [i, value] of values.entries()) out.writeFloatLE(value, i * 4);
  return out;
}
