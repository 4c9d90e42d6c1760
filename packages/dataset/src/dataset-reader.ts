import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetId } from './dataset-spec.js';
import { ManifestError, ShardCorruptedError, ShardMissingError } from './errors.js';
import { concatSplits } from './generate-split.js';
import { COLOURS, SHAPES, type SplitName } from './labels.js';
import {
  type DatasetManifest,
  MANIFEST_FILE,
  manifestSchema,
  SHARD_ARRAY_NAMES,
  SHARD_ARRAYS,
  type ShardFile,
  type ShardRecord,
} from './manifest.js';
import { parseNpyHeader } from './npy.js';
import type { SplitData } from './split-data.js';

/** A dataset on disk whose manifest has been checked; shards are checked (sha256) as they are read. */
export interface Dataset {
  readonly dir: string;
  readonly manifest: DatasetManifest;
  /** One shard, verified. */
  readShard(split: SplitName, shardIndex: number): Promise<SplitData>;
  /** A whole split, every shard verified. */
  readSplit(split: SplitName): Promise<SplitData>;
}

/** Opens the dataset in `dir`; a missing or invalid `manifest.json` fails with a ManifestError naming it. */
export async function openDataset(dir: string): Promise<Dataset> {
  const manifestFile = join(dir, MANIFEST_FILE);
  const manifest = parseManifest(manifestFile, await readManifest(manifestFile));
  const readShard = async (split: SplitName, shardIndex: number) => {
    const record = manifest.splits[split].shards[shardIndex];
    if (record === undefined) {
      throw new RangeError(
        `${split} has ${manifest.splits[split].shards.length} shard(s); no shard ${shardIndex}`,
      );
    }
    return loadShard(dir, manifest.imageSize, record);
  };
  return {
    dir,
    manifest,
    readShard,
    async readSplit(split) {
      const { count, shards } = manifest.splits[split];
      const parts: SplitData[] = [];
      for (const record of shards) parts.push(await loadShard(dir, manifest.imageSize, record));
      return concatSplits(manifest.imageSize, count, parts);
    },
  };
}

async function readManifest(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no manifest (not a dataset directory, or not finalized)'
        : String(error);
    throw new ManifestError(file, reason, { cause: error });
  }
}

function parseManifest(file: string, text: string): DatasetManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new ManifestError(file, `field ${field}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  const manifest = parsed.data;
  if (manifest.imageSize !== manifest.spec.imageSize || manifest.seed !== manifest.spec.seed) {
    throw new ManifestError(file, 'fields imageSize/seed: disagree with the spec');
  }
  if (manifest.datasetId !== datasetId(manifest.spec)) {
    throw new ManifestError(file, 'field datasetId: does not match the spec (edited manifest?)');
  }
  for (const [split, { count, shards }] of Object.entries(manifest.splits)) {
    if (shards.reduce((sum, s) => sum + s.count, 0) !== count) {
      throw new ManifestError(file, `field splits.${split}: shard counts do not add up to ${count}`);
    }
    for (const [k, shard] of shards.entries()) {
      for (const array of SHARD_ARRAY_NAMES) {
        const { dtype, shape } = SHARD_ARRAYS[array];
        const declared = shard.files[array];
        if (
          declared.dtype !== dtype ||
          declared.shape.join() !== shape(shard.count, manifest.imageSize).join()
        ) {
          throw new ManifestError(
            file,
            `field splits.${split}.shards.${k}.files.${array}: wrong dtype or shape`,
          );
        }
      }
    }
  }
  return manifest;
}

async function loadShard(dir: string, imageSize: number, record: ShardRecord): Promise<SplitData> {
  const { count, files } = record;
  const images = await loadArray(dir, files.images);
  const positions = await loadArray(dir, files.positions);
  const shapes = await loadArray(dir, files.shapes);
  const colours = await loadArray(dir, files.colours);
  checkLabels(join(dir, files.shapes.file), shapes, SHAPES.length);
  checkLabels(join(dir, files.colours.file), colours, COLOURS.length);
  const view = new DataView(positions.buffer, positions.byteOffset, positions.byteLength);
  const xy = new Float32Array(count * 2);
  for (let i = 0; i < xy.length; i++) xy[i] = view.getFloat32(i * 4, true);
  return { imageSize, count, images, positions: xy, shapes, colours };
}

/** Reads one `.npy` file, checks size, sha256 and header against the manifest, returns the array bytes. */
async function loadArray(dir: string, expected: ShardFile): Promise<Uint8Array> {
  const path = join(dir, expected.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ShardMissingError(path, 'shard file listed in the manifest is missing', { cause: error });
    }
    throw new ShardCorruptedError(path, `unreadable (${String(error)})`, { cause: error });
  }
  if (bytes.length !== expected.bytes) {
    const how = bytes.length < expected.bytes ? 'truncated' : 'too long';
    throw new ShardCorruptedError(path, `${how}: ${bytes.length} bytes, the manifest says ${expected.bytes}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== expected.sha256) {
    throw new ShardCorruptedError(
      path,
      `checksum mismatch: sha256 ${sha256}, the manifest says ${expected.sha256}`,
    );
  }
  const layout = parseNpyHeader(bytes, path);
  if (layout.dtype !== expected.dtype || layout.shape.join() !== expected.shape.join()) {
    throw new ShardCorruptedError(
      path,
      `holds ${layout.dtype} ${JSON.stringify(layout.shape)}, expected ${expected.dtype} ${JSON.stringify(expected.shape)}`,
    );
  }
  // A copy, so the split owns compact memory independent of the file buffer.
  return new Uint8Array(bytes.subarray(layout.dataOffset));
}

function checkLabels(file: string, labels: Uint8Array, classes: number): void {
  const bad = labels.findIndex((label) => label >= classes);
  if (bad >= 0)
    throw new ShardCorruptedError(file, `label ${labels[bad]} at row ${bad} is not below ${classes}`);
}
