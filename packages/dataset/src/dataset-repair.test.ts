import { mkdir, mkdtemp, readdir, readFile, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataset } from './dataset-reader.js';
import { removeStaleTemporaries, repairDataset, verifyDataset } from './dataset-repair.js';
import { datasetSpecSchema } from './dataset-spec.js';
import { ManifestError, ShardCorruptedError } from './errors.js';
import { writeDataset } from './shard-writer.js';

const spec = datasetSpecSchema.parse({ imageSize: 32, samples: 40, test: 8, shardSize: 8, seed: 3 });
let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-repair-'));
  dir = join(root, 'datasets', 'd1');
  await writeDataset(spec, dir);
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Every file of the dataset and its bytes. */
async function contents(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    files[name] = (await readFile(join(dir, name))).toString('base64');
  }
  return files;
}

describe('verifyDataset / repairDataset', () => {
  it('finds a truncated and a missing shard file and writes both shards again, byte for byte', async () => {
    const whole = await contents();
    expect(await verifyDataset(dir)).toMatchObject({ shards: 6, problems: [], temporaries: [] });
    await truncate(join(dir, 'train-00001-images.npy'), 100);
    await unlink(join(dir, 'val-00000-shapes.npy'));
    await writeFile(join(dir, 'test-00000-images.npy.4242-0123abcd.tmp'), 'half a shard');
    await expect((await openDataset(dir)).readSplit('train')).rejects.toThrow(ShardCorruptedError);

    const check = await verifyDataset(dir);
    expect(check.problems.map(({ split, index }) => `${split} ${index}`)).toEqual(['train 1', 'val 0']);
    expect(check.problems[0]?.reason).toMatch(/train-00001-images\.npy: truncated/);
    expect(check.problems[1]?.reason).toMatch(/val-00000-shapes\.npy: .*missing/);
    expect(check.temporaries).toEqual(['test-00000-images.npy.4242-0123abcd.tmp']);

    expect(await repairDataset(dir)).toEqual({
      rewritten: ['train 1', 'val 0'],
      manifestWritten: false,
      temporariesRemoved: 1,
    });
    expect(await contents()).toEqual(whole);
    expect((await verifyDataset(dir)).problems).toEqual([]);
  });

  it('rebuilds a lost manifest from the spec, and needs the spec to', async () => {
    const whole = await contents();
    await unlink(join(dir, 'manifest.json'));
    await truncate(join(dir, 'train-00000-colours.npy'), 10);
    expect((await verifyDataset(dir)).manifestProblem).toMatch(/manifest\.json: no manifest/);
    await expect(repairDataset(dir)).rejects.toThrow(ManifestError);
    const repair = await repairDataset(dir, spec);
    expect(repair.manifestWritten).toBe(true);
    expect(repair.rewritten).toHaveLength(6);
    expect(await contents()).toEqual(whole);
  });

  it('rebuilds a folder removed altogether', async () => {
    const whole = await contents();
    await rm(dir, { recursive: true });
    await mkdir(dir);
    await repairDataset(dir, spec);
    expect(await contents()).toEqual(whole);
  });
});

describe('removeStaleTemporaries', () => {
  it('removes only the shard temporaries nobody has touched for the given time', async () => {
    const stale = join(dir, 'train-00000-images.npy.17-89abcdef.tmp');
    const live = join(dir, 'train-00001-images.npy.18-89abcdef.tmp');
    await writeFile(stale, 'left by a killed generator');
    await writeFile(live, 'being written');
    await writeFile(join(dir, 'notes.tmp'), 'not ours');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(stale, old, old);
    expect(await removeStaleTemporaries(join(root, 'datasets'), 5 * 60_000)).toEqual([stale]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp')).sort()).toEqual([
      'notes.tmp',
      'train-00001-images.npy.18-89abcdef.tmp',
    ]);
    expect((await verifyDataset(dir)).problems).toEqual([]);
  });
});
