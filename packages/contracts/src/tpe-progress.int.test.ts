import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { reportJobId, trialJobId } from './ids.js';
import { PipelineProducer } from './pipeline-producer.js';
import { QUEUES } from './queue-names.js';
import { createRedis } from './redis-connection.js';
import { SweepStatusReader } from './sweep-status.js';
import { TpeProgress } from './tpe-progress.js';

describe('growing a TPE sweep', () => {
  let redis: Redis;
  let prefix: string;
  let producer: PipelineProducer;

  beforeEach(async () => {
    redis = createRedis(inject('redisUrl'));
    prefix = `test-${randomUUID()}`;
    producer = new PipelineProducer(redis, { prefix });
    await producer.enqueueSweep({
      sweepId: 'tpe',
      dataset: { imageSize: 32, samples: 20, test: 10, seed: 6 },
      trials: [{ trialId: 't000', config: { arch: 'mtl-seed' }, seed: 0 }],
    });
  });

  afterEach(async () => {
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
  });

  it('counts ended trials atomically and lets one of many racing trainers claim a configuration', async () => {
    const progress = new TpeProgress(redis, prefix);
    const counts = await Promise.all(['a', 'b', 'c'].map((id) => progress.recordEnded('tpe', id)));
    expect(counts.sort()).toEqual([1, 2, 3]);
    expect(await progress.recordEnded('tpe', 'b')).toBe(3); // a retry ends again: counted once
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((by) => progress.claim('tpe', 3, by)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('adds trials under the report job, once, and status lists them after the plan', async () => {
    const next = [{ trialId: 't001', config: { arch: 'mtl-seed', learningRate: 0.002 }, seed: 0 }];
    await producer.addTrials('tpe', next);
    await producer.addTrials('tpe', next);
    const report = await producer.queue(QUEUES.report).getJob(reportJobId('tpe'));
    expect(await report?.getDependenciesCount()).toMatchObject({ unprocessed: 2 });
    const added = await producer.queue(QUEUES.train).getJob(trialJobId('tpe', 't001'));
    expect(added?.data).toMatchObject({ sweepId: 'tpe', trialId: 't001', config: { learningRate: 0.002 } });
    expect(added?.opts).toMatchObject({ attempts: 3, ignoreDependencyOnFailure: true });
    expect((await producer.sweeps.trials('tpe')).map((trial) => trial.trialId)).toEqual(['t000', 't001']);
    const reader = new SweepStatusReader(redis, prefix);
    try {
      expect((await reader.status('tpe'))?.trials.map((trial) => trial.trialId)).toEqual(['t000', 't001']);
    } finally {
      await reader.close();
    }
    await expect(producer.addTrials('ghost', next)).rejects.toThrow('no sweep ghost');
  });
});
