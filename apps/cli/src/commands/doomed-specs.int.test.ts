import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectFastFail } from '@repo/contracts';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { findInRepo } from '../repo-paths.js';

// Specs no trial could ever run: the built `mtl` refuses each at validation, with `--dry-run` and
// without, exit 2, naming the file, field and allowed range, and enqueues nothing in a real Redis.
const MTL = findInRepo('apps/cli/dist/main.js', 'pnpm build first');

let dir: string;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-doomed-'));
  redis = await connectFastFail(inject('redisUrl'));
  prefix = `test-${randomUUID()}`;
});
afterAll(async () => {
  await deleteQueuePrefix(redis, prefix);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

function mtl(...args: string[]) {
  const result = spawnSync(process.execPath, [MTL, ...args], {
    env: { ...process.env, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function spec(name: string, dataset: string, extra: string[] = []): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    [
      `name: ${name}`,
      `dataset: ${dataset}`,
      'search: grid',
      'parameters:',
      '  arch: { values: [mtl-seed, branches-seed] }',
      ...extra,
    ].join('\n'),
  );
  return file;
}

const keys = async () => (await redis.keys(`${prefix}:*`)).length;

describe('specs that cannot run', () => {
  it.each([
    [
      'image-92',
      '{ samples: 40, imageSize: 92, test: 10, seed: 1 }',
      /:2: dataset\.imageSize: 92 px is too small for mtl-seed .*allowed: 93–1024 px/,
    ],
    [
      'image-104',
      '{ samples: 40, imageSize: 104, test: 10, seed: 1 }',
      /:2: dataset\.imageSize: 104 px is too small for branches-seed .*allowed: 105–1024 px/,
    ],
    [
      'val-0',
      '{ samples: 40, imageSize: 128, test: 10, seed: 1, valFraction: 0 }',
      /:2: dataset\.valFraction: 0 of 40 samples leaves 0 validation .*allowed: above 0 and below 1/,
    ],
    [
      'val-1',
      '{ samples: 40, imageSize: 128, test: 10, seed: 1, valFraction: 1 }',
      /:2: dataset\.valFraction: 1 of 40 samples leaves 40 validation and 0 training/,
    ],
    [
      'test-0',
      '{ samples: 40, imageSize: 128, test: 0, seed: 1 }',
      /:2: dataset\.test: .*empty; allowed: 1 or more/,
    ],
    [
      'shards',
      '{ samples: 100000, imageSize: 128, test: 0, seed: 1, shardSize: 1 }',
      /:2: dataset\.shardSize: 1 images a shard makes 100000 shards; at most 1000: a shardSize of 100 or more \(or mtl sweep --allow-large lifts it\)/,
    ],
  ])('%s: exit 2 with the field and its allowed range; nothing enqueued', async (name, dataset, message) => {
    const file = await spec(name, dataset);
    for (const args of [
      ['sweep', file, '--dry-run'],
      ['sweep', file],
    ]) {
      const result = mtl(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`${file}:`);
      expect(result.stderr).toMatch(message);
    }
    expect(await keys()).toBe(0);
  });

  it('a sweep over the trial limit is refused unless --allow-large, which then plans it', async () => {
    const file = join(dir, 'many.yaml');
    await writeFile(
      file,
      [
        'name: many',
        'dataset: { samples: 40, imageSize: 96, test: 10, seed: 1 }',
        'search: { kind: random, trials: 10001 }',
        'parameters:',
        '  arch: mtl-seed',
        '  learningRate: { distribution: log-uniform, min: 1.0e-4, max: 1.0e-2 }',
      ].join('\n'),
    );
    const refused = mtl('sweep', file, '--dry-run');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /search\.trials: 10001 × 1 seeds = 10001 trials; at most 10000 \(mtl sweep --allow-large lifts it\)/,
    );
    const allowed = mtl('sweep', file, '--dry-run', '--allow-large');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('10001 trials');
    expect(await keys()).toBe(0);
  });

  it('a YAML alias bomb: exit 2 naming the file, nothing enqueued', async () => {
    const file = join(dir, 'bomb.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    await writeFile(file, [...levels, 'name: bomb'].join('\n'));
    for (const args of [
      ['sweep', file, '--dry-run'],
      ['sweep', file],
    ]) {
      const result = mtl(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^mtl: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: refused: its YAML aliases expand more than 100 times`,
        ),
      );
    }
    expect(await keys()).toBe(0);
  });
});
