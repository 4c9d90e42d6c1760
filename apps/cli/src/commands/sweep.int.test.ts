import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, PipelineProducer, QUEUES, SweepRegistry } from '@repo/contracts';
import { loadSweepSpec, planSweep } from '@repo/sweep';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

const quick = fileURLToPath(new URL('../../../../examples/quick.yaml', import.meta.url));

describe('mtl sweep (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let dir: string;
  let stdout: string[];
  let stderr: string[];

  beforeEach(async () => {
    redis = createRedis(inject('redisUrl'));
    prefix = `test-${randomUUID()}`;
    dir = await mkdtemp(join(tmpdir(), 'mtl-sweep-int-'));
    ({ stdout, stderr } = captureOutput());
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  const sweep = (file: string) => run(['sweep', file, '--redis', inject('redisUrl'), '--prefix', prefix]);

  it('enqueues every trial of the spec and prints the sweep id; a second run adds nothing', async () => {
    const plan = planSweep(await loadSweepSpec(quick));
    expect(await sweep(quick)).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe(`${plan.sweepId}\n`);
    expect(stderr.join('')).toMatch(
      /^enqueued: quick, 4 trials on dataset [0-9a-f]{12} \(\d+ shards to generate\)/,
    );

    const info = await new SweepRegistry(redis, prefix).get(plan.sweepId);
    expect(info?.plan).toEqual(plan);
    const producer = new PipelineProducer(redis, { prefix });
    try {
      const counts = await producer
        .queue(QUEUES.train)
        .getJobCounts('waiting', 'waiting-children', 'delayed');
      expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(4);

      stdout.length = 0;
      stderr.length = 0;
      expect(await sweep(quick)).toBe(ExitCode.ok);
      expect(stdout.join('')).toBe(`${plan.sweepId}\n`);
      expect(stderr.join('')).toMatch(/^already enqueued \(nothing added\)/);
      const again = await producer.queue(QUEUES.train).getJobCounts('waiting', 'waiting-children', 'delayed');
      expect(again).toEqual(counts);
    } finally {
      await producer.close();
    }
  });

  it('a bad file enqueues nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      'name: bad\ndataset: { samples: 10, seed: 1 }\nsearch: grid\nparameters: { arch: vgg }\n',
    );
    expect(await sweep(bad)).toBe(ExitCode.usage);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('a bad loss weighting enqueues nothing', async () => {
    const bad = join(dir, 'bad-weighting.yaml');
    await writeFile(
      bad,
      'name: bad\ndataset: { samples: 10, seed: 1 }\nsearch: grid\nparameters: { arch: mtl-seed, lossWeighting: { kind: dwa, temperature: -1 } }\n',
    );
    expect(await sweep(bad)).toBe(ExitCode.usage);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('a tpe search enqueues its start-up trials and carries its spec for the trainers', async () => {
    const tpe = join(dir, 'tpe.yaml');
    await writeFile(
      tpe,
      'name: tpe\ndataset: { samples: 10, seed: 1 }\nsearch: { kind: tpe, trials: 4, startup: 2 }\n' +
        'parameters:\n  arch: mtl-seed\n  learningRate: { distribution: log-uniform, min: 0.0001, max: 0.01 }\n',
    );
    expect(await sweep(tpe)).toBe(ExitCode.ok);
    expect(stderr.join('')).toMatch(/^enqueued: tpe, 2 trials \(tpe suggests 2 more as results arrive\)/);
    const info = await new SweepRegistry(redis, prefix).get(stdout.join('').trim());
    expect(info?.plan.trials.map((trial) => trial.trialId)).toEqual(['t000', 't001']);
    expect(info?.plan.tpe?.spec).toMatchObject({ search: { kind: 'tpe', trials: 4, startup: 2 } });
    stderr.length = 0;
    expect(await sweep(tpe)).toBe(ExitCode.ok);
    expect(stderr.join('')).toMatch(/^already enqueued/);
  });

  it('an unreachable Redis fails with exit 1 and a message naming it', async () => {
    expect(await run(['sweep', quick, '--redis', 'redis://127.0.0.1:1', '--prefix', prefix])).toBe(
      ExitCode.failure,
    );
    expect(stderr.join('')).toMatch(/127\.0\.0\.1:1/);
  });
});
