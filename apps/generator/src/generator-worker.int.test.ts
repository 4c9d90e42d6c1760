import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactLayout, createRedis, PipelineProducer, QUEUES, shardJobId } from '@repo/contracts';
import { openDataset } from '@repo/dataset';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { createGeneratorWorker } from './generator-worker.js';
import { shardFiles } from './shard-files.js';

const spec = { imageSize: 16, samples: 60, test: 20, seed: 11, shardSize: 25 };

describe('generator worker', () => {
  let redis: Redis;
  let prefix: string;
  let artifacts: string;
  let producer: PipelineProducer;
  let producerRedis: Redis;

  beforeEach(async () => {
    const url = inject('redisUrl');
    redis = createRedis(url, { role: 'worker' });
    prefix = `test-${randomUUID()}`;
    artifacts = await mkdtemp(join(tmpdir(), 'mtl-generator-'));
    producerRedis = createRedis(url);
    producer = new PipelineProducer(producerRedis, { prefix });
  });

  afterEach(async () => {
    await producer.close();
    await deleteQueuePrefix(producerRedis, prefix);
    producerRedis.disconnect();
    redis.disconnect();
    await rm(artifacts, { recursive: true, force: true });
  });

  async function generate() {
    const layout = new ArtifactLayout(artifacts);
    const worker = createGeneratorWorker({
      connection: redis,
      prefix,
      layout,
      logger: pino({ level: 'silent' }),
    });
    const events = new QueueEvents(QUEUES.generate, {
      connection: createRedis(inject('redisUrl'), { role: 'worker' }),
      prefix,
    });
    try {
      await events.waitUntilReady();
      const enqueued = await producer.enqueueDataset(spec);
      const manifestJob = await producer.queue(QUEUES.generate).getJob(enqueued.jobId);
      const result = await manifestJob?.waitUntilFinished(events, 60_000);
      return { enqueued, result, dir: layout.datasetDir(enqueued.datasetId) };
    } finally {
      await worker.close();
      await events.close();
    }
  }

  it('writes every shard, then the manifest, into the content-addressed directory', async () => {
    const { enqueued, result, dir } = await generate();
    expect(result).toEqual({ datasetId: enqueued.datasetId, wrote: 'manifest', written: true });
    const dataset = await openDataset(dir);
    expect(dataset.manifest.datasetId).toBe(enqueued.datasetId);
    const train = await dataset.readSplit('train');
    expect(train.count).toBe(48);
  });

  it('leaves shards already on disk alone when the dataset is enqueued again', async () => {
    const { dir } = await generate();
    const [firstImages] = shardFiles(dir, 'train', 0);
    const before = await stat(firstImages!);
    await producer.queue(QUEUES.generate).obliterate({ force: true });
    await rm(join(dir, 'manifest.json'));
    const again = await generate();
    expect(again.result).toMatchObject({ written: true });
    expect((await stat(firstImages!)).mtimeMs).toBe(before.mtimeMs);
    const shardJob = await producer
      .queue(QUEUES.generate)
      .getJob(shardJobId(again.enqueued.datasetId, 'train', 0));
    expect(shardJob?.returnvalue).toMatchObject({ written: false });
  });
});
