import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openDataset } from './dataset-reader.js';
import { type DatasetSpec, datasetId, shardCount } from './dataset-spec.js';
import { ManifestError, ShardCorruptedError, ShardMissingError } from './errors.js';
import { SPLITS, type SplitName } from './labels.js';
import { finalizeDataset, writeShard } from './shard-writer.js';
import { TEMPORARY_NAME } from './whole-file.js';

/** One shard that cannot be read as the manifest describes it. */
export interface ShardProblem {
  split: SplitName;
  index: number;
  /** The error's message: the file at fault and what is wrong with it. */
  reason: string;
}

/** What `verifyDataset` found in a dataset directory. */
export interface DatasetCheck {
  dir: string;
  /** Why manifest.json is unusable (missing, invalid), if it is; its shards are then not checked. */
  manifestProblem?: string;
  /** The spec the manifest holds, when it is usable. */
  spec?: DatasetSpec;
  /** Shards checked (every shard the manifest lists). */
  shards: number;
  problems: ShardProblem[];
  /** Leftover temporary files of interrupted shard writes (never read as shards). */
  temporaries: string[];
}

/**
 * Checks a dataset directory as a trial would read it: the manifest, then every shard file's size,
 * sha256, header and labels against it. Reports instead of throwing.
 */
export async function verifyDataset(dir: string): Promise<DatasetCheck> {
  const temporaries = await listTemporaries(dir);
  let dataset: Awaited<ReturnType<typeof openDataset>>;
  try {
    dataset = await openDataset(dir);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    return { dir, manifestProblem: error.message, shards: 0, problems: [], temporaries };
  }
  const problems: ShardProblem[] = [];
  let shards = 0;
  for (const split of SPLITS) {
    for (let index = 0; index < dataset.manifest.splits[split].shards.length; index++) {
      shards++;
      try {
        await dataset.readShard(split, index);
      } catch (error) {
        if (!(error instanceof ShardCorruptedError || error instanceof ShardMissingError)) throw error;
        problems.push({ split, index, reason: error.message });
      }
    }
  }
  return { dir, spec: dataset.manifest.spec, shards, problems, temporaries };
}

/** What `repairDataset` did. */
export interface DatasetRepair {
  /** Shards written again, as `<split> <index>`. */
  rewritten: string[];
  /** manifest.json was written again (it was missing or invalid). */
  manifestWritten: boolean;
  temporariesRemoved: number;
}

/**
 * Makes a damaged dataset whole again from its content-addressed spec: every shard that is missing
 * or corrupted is generated again (the generator is deterministic, so the bytes match the manifest's
 * checksums), leftover temporaries are removed, and a missing or invalid manifest is rebuilt from the
 * spec after writing every shard again (without it no file can be trusted). The spec is the
 * manifest's, else `spec` (the caller's: the dataset it names by id). Verifies the result.
 */
export async function repairDataset(dir: string, spec?: DatasetSpec): Promise<DatasetRepair> {
  const check = await verifyDataset(dir);
  const source = check.spec ?? spec;
  if (source === undefined) {
    throw new ManifestError(
      join(dir, 'manifest.json'),
      `${check.manifestProblem ?? 'unusable'}; the dataset's spec is needed to rebuild it`,
    );
  }
  if (spec !== undefined && check.spec !== undefined && datasetId(spec) !== datasetId(check.spec)) {
    throw new ManifestError(
      join(dir, 'manifest.json'),
      `holds dataset ${datasetId(check.spec)}, not ${datasetId(spec)}`,
    );
  }
  const temporariesRemoved = await removeTemporaries(dir, check.temporaries);
  const rewritten: string[] = [];
  if (check.manifestProblem !== undefined) {
    for (const split of SPLITS) {
      for (let index = 0; index < shardCount(source, split); index++) {
        await writeShard(source, dir, split, index);
        rewritten.push(`${split} ${index}`);
      }
    }
    await finalizeDataset(source, dir);
  } else {
    for (const { split, index } of check.problems) {
      await writeShard(source, dir, split, index);
      rewritten.push(`${split} ${index}`);
    }
  }
  const after = await verifyDataset(dir);
  const left = after.manifestProblem ?? after.problems[0]?.reason;
  if (left !== undefined) {
    throw new ShardCorruptedError(
      dir,
      `still damaged after the repair (another generator version?): ${left}`,
    );
  }
  return { rewritten, manifestWritten: check.manifestProblem !== undefined, temporariesRemoved };
}

/**
 * Removes the temporaries of shard writes that were interrupted (a killed generator) in each dataset
 * directory under `datasetsDir`, if untouched for `olderThanMs`: a live write touches its file with
 * every chunk, so an older one is nobody's. Returns the paths removed.
 */
export async function removeStaleTemporaries(datasetsDir: string, olderThanMs: number): Promise<string[]> {
  const removed: string[] = [];
  const datasets = await readdir(datasetsDir, { withFileTypes: true }).catch(() => []);
  for (const entry of datasets.filter((e) => e.isDirectory())) {
    const dir = join(datasetsDir, entry.name);
    for (const name of await listTemporaries(dir)) {
      const file = join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs >= olderThanMs) {
        await rm(file, { force: true });
        removed.push(file);
      }
    }
  }
  return removed;
}

async function listTemporaries(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => TEMPORARY_NAME.test(name)).sort();
}

async function removeTemporaries(dir: string, names: string[]): Promise<number> {
  await Promise.all(names.map((name) => rm(join(dir, name), { force: true })));
  return names.length;
}
