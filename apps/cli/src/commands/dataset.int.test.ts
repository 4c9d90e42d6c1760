import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis, PipelineProducer } from '@repo/contracts';
import { datasetId, datasetSpecSchema, writeDataset } from '@repo/dataset';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

const spec = datasetSpecSchema.parse({ imageSize: 32, samples: 24, test: 8, shardSize: 8, seed: 11 });
const id = datasetId(spec);

describe('mtl dataset verify / repair', () => {
  let artifacts: string;
  let dir: string;
  let prefix: string;
  let redis: ReturnType<typeof createRedis>;
  let producer: PipelineProducer;
  let stdout: string[];
  let stderr: string[];

  beforeEach(async () => {
    artifacts = await mkdtemp(join(tmpdir(), 'mtl-dataset-cli-'));
    dir = join(artifacts, 'datasets', id);
    await writeDataset(spec, dir);
    prefix = `test-${randomUUID()}`;
    redis = createRedis(inject('redisUrl'));
    producer = new PipelineProducer(redis, { prefix });
    ({ stdout, stderr } = captureOutput());
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    await rm(artifacts, { recursive: true, force: true });
  });

  const mtl = async (...args: string[]) => {
    stdout.length = 0;
    stderr.length = 0;
    return run(['dataset', ...args, '--artifacts', artifacts]);
  };
  const files = async () => {
    const out: Record<string, string> = {};
    for (const name of (await readdir(dir)).sort())
      out[name] = (await readFile(join(dir, name))).toString('base64');
    return out;
  };

  it('verify names a truncated shard (exit 1); repair writes it again, byte for byte', async () => {
    const whole = await files();
    expect(await mtl('verify', id)).toBe(ExitCode.ok);
    expect(stdout.join('')).toContain('5 shards, all whole');

    await truncate(join(dir, 'val-00000-images.npy'), 64);
    expect(await mtl('verify', id)).toBe(ExitCode.failure);
    expect(stdout.join('')).toMatch(/val shard 0: .*val-00000-images\.npy: truncated: 64 bytes/);
    expect(stderr.join('')).toContain(`mtl dataset repair ${id}`);

    expect(await mtl('repair', id)).toBe(ExitCode.ok);
    expect(stdout.join('')).toContain('wrote 1 shard again (val 0)');
    expect(await files()).toEqual(whole);
    expect(await mtl('verify', id)).toBe(ExitCode.ok);
  });

  it('repair rebuilds a folder removed altogether from the spec the queue holds', async () => {
    const whole = await files();
    await producer.enqueueSweep({
      sweepId: 'gone',
      name: 'gone',
      dataset: spec,
      trials: [{ trialId: 't1', config: { arch: 'mtl-seed' }, seed: 1 }],
    });
    await rm(dir, { recursive: true });
    expect(await mtl('verify', id)).toBe(ExitCode.failure);
    expect(stdout.join('')).toContain('manifest: ');
    expect(await mtl('repair', id, '--redis', inject('redisUrl'), '--prefix', prefix)).toBe(ExitCode.ok);
    expect(stdout.join('')).toContain('rebuilt manifest.json');
    expect(await files()).toEqual(whole);
  });

  it('refuses an id that is not one (exit 2), and a lost dataset the queue does not know (exit 1)', async () => {
    expect(await mtl('verify', '../x')).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain('invalid dataset id');
    await rm(dir, { recursive: true });
    expect(await mtl('repair', id, '--redis', inject('redisUrl'), '--prefix', prefix)).toBe(ExitCode.failure);
    expect(stderr.join('')).toContain('holds no spec for it');
  });
});
