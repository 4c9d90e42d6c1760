import { randomUUID } from 'node:crypto';
import { datasetId, datasetSpecSchema, shardCount } from '@repo/dataset';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { SweepConflictError } from './errors.js';
import { datasetJobId, reportJobId, trialJobId } from './ids.js';
import { PipelineProducer } from './pipeline-producer.js';
import { QUEUES } from './queue-names.js';
import { createRedis } from './redis-connection.js';
import type { SweepPlanInput } from './sweep-plan.js';

const plan: SweepPlanInput = {
  sweepId: 'sweep-a',
  name: 'a tiny sweep',
  dataset: { imageSize: 32, samples: 120, test: 40, seed: 3, shardSize: 50 },
  trials: ['t1', 't2', 't3'].map((trialId, i) => ({
    trialId,
    config: { arch: 'mtl-seed', epochs: 1 },
    seed: i,
  })),
};

describe('PipelineProducer', () => {
  let redis: Redis;
  let prefix: string;
  let producer: PipelineProducer;

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'));
    prefix = `test-${randomUUID()}`;
    producer = new PipelineProducer(redis, { prefix });
  });

  afterEach(async () => {
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
  });

  it('enqueues a dataset flow: one shard job per shard under the manifest job', async () => {
    const spec = datasetSpecSchema.parse(plan.dataset);
    const enqueued = await producer.enqueueDataset(spec);
    const shards = shardCount(spec, 'train') + shardCount(spec, 'val') + shardCount(spec, 'test');
    expect(enqueued).toEqual({
      datasetId: datasetId(spec),
      jobId: datasetJobId(datasetId(spec)),
      shards,
      created: true,
    });
    const generate = producer.queue(QUEUES.generate);
    expect(await generate.getJobCounts('waiting', 'waiting-children')).toEqual({
      waiting: shards,
      'waiting-children': 1,
    });
  });

  it('enqueues a sweep as a report job over its trials, and a second time adds nothing', async () => {
    const first = await producer.enqueueSweep(plan);
    const second = await producer.enqueueSweep(plan);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.trialJobIds).toEqual(['t1', 't2', 't3'].map((t) => trialJobId('sweep-a', t)));
    const train = producer.queue(QUEUES.train);
    expect(await train.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(3);
    const report = await producer.queue(QUEUES.report).getJob(reportJobId('sweep-a'));
    expect(await report?.getState()).toBe('waiting-children');
    expect(await report?.getDependenciesCount()).toMatchObject({ unprocessed: 3 });
    const trial = await train.getJob(trialJobId('sweep-a', 't2'));
    expect(trial?.data).toMatchObject({
      sweepId: 'sweep-a',
      trialId: 't2',
      seed: 1,
      datasetId: first.dataset.datasetId,
    });
    expect(trial?.opts).toMatchObject({ attempts: 3, ignoreDependencyOnFailure: true });
  });

  it('records sweep metadata another machine can list without the artifacts', async () => {
    await producer.enqueueSweep(plan);
    await producer.enqueueSweep({ ...plan, sweepId: 'sweep-b', name: undefined });
    expect(await producer.sweeps.list()).toEqual(['sweep-b', 'sweep-a']);
    const info = await producer.sweeps.get('sweep-a');
    expect(info).toMatchObject({ sweepId: 'sweep-a', name: 'a tiny sweep', trialCount: 3 });
    expect(info?.plan.trials.map((t) => t.trialId)).toEqual(['t1', 't2', 't3']);
    expect((await producer.sweeps.get('sweep-b'))?.name).toBe('sweep-b');
    expect(await producer.sweeps.get('nope')).toBeUndefined();
  });

  it('refuses another plan under a sweep id already enqueued, and accepts the same plan reordered', async () => {
    await producer.enqueueSweep(plan);
    const reordered = { trials: plan.trials, dataset: plan.dataset, name: plan.name, sweepId: plan.sweepId };
    expect((await producer.enqueueSweep(reordered)).created).toBe(false);
    const changed = { ...plan, trials: plan.trials.slice(0, 2) };
    await expect(producer.enqueueSweep(changed)).rejects.toThrow(SweepConflictError);
  });

  it('obliterates every queue of its prefix and keeps the sweep records', async () => {
    await producer.enqueueSweep(plan);
    await producer.obliterate();
    const queueKeys = (await redis.keys(`${prefix}:*`)).filter((key) =>
      Object.values(QUEUES).some((name) => key.startsWith(`${prefix}:${name}:`)),
    );
    expect(queueKeys).toEqual([]);
    expect(await producer.sweeps.list()).toEqual(['sweep-a']);
  });

  it('rejects an invalid plan before touching Redis', async () => {
    await expect(producer.enqueueSweep({ ...plan, trials: [] })).rejects.toThrow('sweep plan: field trials');
    expect(await producer.sweeps.list()).toEqual([]);
  });
});
