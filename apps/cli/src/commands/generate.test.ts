import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '@repo/dataset';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

let dir: string;
let stdout: string[];
let stderr: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-generate-'));
  ({ stdout, stderr } = captureOutput());
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const args = (out: string, ...extra: string[]) => [
  'generate',
  ...['--samples', '20', '--size', '32', '--seed', '5', '--shard-size', '8', '--test', '6', '--out', out],
  ...extra,
];

describe('mtl generate', () => {
  it('writes a dataset with the requested splits and shards', async () => {
    const out = join(dir, 'ds');
    expect(await run(args(out))).toBe(ExitCode.ok);
    const dataset = await openDataset(out);
    expect(dataset.manifest.spec).toEqual({
      imageSize: 32,
      samples: 20,
      valFraction: 0.2,
      test: 6,
      seed: 5,
      shardSize: 8,
    });
    expect(dataset.manifest.splits.train.count).toBe(16);
    expect(dataset.manifest.splits.train.shards).toHaveLength(2);
    expect(dataset.manifest.splits.test.count).toBe(6);
    expect(stdout.join('')).toContain(`dataset ${dataset.manifest.datasetId}`);
  });

  it('runs again over the same dataset, but refuses another dataset or foreign files', async () => {
    const out = join(dir, 'ds');
    expect(await run(args(out))).toBe(ExitCode.ok);
    expect(await run(args(out))).toBe(ExitCode.ok);
    expect(await run(args(out, '--seed', '6'))).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/already holds another dataset/);

    const other = join(dir, 'other');
    expect(await run(args(other, '--test', '0'))).toBe(ExitCode.ok);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    expect(await run(args(dir))).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/is not empty \(/);
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['notes.txt', 'ds', 'other']));
  });

  it.each([
    [['--samples', '0'], /--samples/],
    [['--size', 'big'], /--size/],
    [['--seed', '-1'], /--seed/],
    [['--val-fraction', '1.5'], /--val-fraction/],
  ])('rejects bad arguments %j with exit 2', async (extra, message) => {
    expect(await run(args(join(dir, 'ds'), ...extra))).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(message);
    expect(await readdir(dir)).toEqual([]);
  });

  it('requires --samples, --seed and --out', async () => {
    expect(await run(['generate', '--seed', '1', '--out', dir])).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/--samples/);
  });
});
