import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrialDir } from './trial-dir.js';

describe('TrialDir', () => {
  let root: string;
  let dir: TrialDir;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mtl-trial-dir-'));
    dir = new TrialDir(join(root, 't1'));
    await dir.create();
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('counts as recorded only once run.json exists', async () => {
    await dir.writeJson('summary.json', { any: 'summary' });
    expect(await dir.recorded()).toBe(false);
    await dir.writeJson('run.json', { any: 'record' });
    expect(await dir.recorded()).toBe(true);
  });

  it('swaps a freshly saved model in for a leftover one, leaving no staging folder', async () => {
    await mkdir(dir.modelDir, { recursive: true });
    await writeFile(join(dir.modelDir, 'stale.bin'), 'old');
    await dir.writeModel(async (staging) => {
      await mkdir(staging);
      await writeFile(join(staging, 'model.json'), '{}');
    });
    expect(await readdir(dir.modelDir)).toEqual(['model.json']);
    expect((await readdir(dir.dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('writes JSON without leaving temporary files, and drops the checkpoints', async () => {
    await writeFile(dir.trainCheckpoint, 'ckpt');
    await dir.writeJson('history.json', { train: [] });
    expect(JSON.parse(await readFile(join(dir.dir, 'history.json'), 'utf8'))).toEqual({ train: [] });
    await dir.dropCheckpoints();
    expect((await readdir(dir.dir)).sort()).toEqual(['history.json']);
  });
});
