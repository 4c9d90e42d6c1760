import { randomUUID } from 'node:crypto';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { recordStubTrial } from '../../../tooling/vitest/trial-record.js';
import { SweepCancelledError } from './errors.js';
import { reportJobId, trialJobId } from './ids.js';
import type { TrialJob } from './job-payloads.js';
import { PipelineProducer } from './pipeline-producer.js';
import { QUEUES } from './queue-names.js';
import { createRedis } from './redis-connection.js';
import type { SweepPlanInput } from './sweep-plan.js';
import { SweepStatusReader } from './sweep-status.js';
import { TrialRecordStore } from './trial-record-store.js';

const plan = (sweepId: string, trialIds: string[]): SweepPlanInput => ({
  sweepId,
  dataset: { imageSize: 32, samples: 20, test: 10, seed: 4 },
  trials: trialIds.map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
});

describe('PipelineProducer.cancelSweep / retryFailed', () => {
  let redis: Redis;
  let workerRedis: Redis;
  let prefix: string;
  let producer: PipelineProducer;
  let reader: SweepStatusReader;
  const workers: Worker[] = [];

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'));
    workerRedis = createRedis(inject('redisUrl'), { role: 'worker' });
    prefix = `test-${randomUUID()}`;
    producer = new PipelineProducer(redis, { prefix });
    reader = new SweepStatusReader(redis, prefix);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
    await reader.close();
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    workerRedis.disconnect();
  });

  function worker<T>(queue: string, process: (job: Job<T>) => Promise<unknown>): Worker {
    const created = new Worker(queue, process, { connection: workerRedis, prefix, concurrency: 1 });
    created.on('error', () => {});
    workers.push(created);
    return created;
  }

  const state = async (queue: (typeof QUEUES)[keyof typeof QUEUES], jobId: string) =>
    producer.queue(queue).getJobState(jobId);

  async function until(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await check()).toBe(true);
  }

  it('cancel removes trials not started, leaves running ones to stop, and lets the report run', async () => {
    await producer.enqueueSweep(plan('cx', ['t1', 't2', 't3']));
    let release: (reason: string) => void = () => {};
    const held = new Promise<string>((resolve) => {
      release = resolve;
    });
    worker<TrialJob>(QUEUES.train, async () => {
      throw new UnrecoverableError(await held);
    });
    await until(async () => (await state(QUEUES.train, trialJobId('cx', 't1'))) === 'active');

    expect(await producer.cancelSweep('cx')).toEqual({
      sweepId: 'cx',
      removed: ['t2', 't3'],
      stopping: ['t1'],
      ended: [],
    });
    expect(await producer.queue(QUEUES.train).getJob(trialJobId('cx', 't2'))).toBeUndefined();
    expect(await state(QUEUES.report, reportJobId('cx'))).toBe('waiting-children');
    // The trainer sees the flag at its next epoch and fails the trial with the cancel reason.
    release('SweepCancelledError: sweep cx was cancelled; stopped after epoch 1');
    await until(async () => (await state(QUEUES.report, reportJobId('cx'))) === 'waiting');

    const status = await reader.status('cx');
    expect(status?.state).toBe('cancelled');
    expect(status?.counts).toMatchObject({ cancelled: 3, failed: 0 });
    expect(await producer.cancelSweep('nope')).toBeUndefined();
    expect((await producer.cancelSweep('cx'))?.ended).toEqual(['t1']);
  });

  it('retry re-runs failed trials under their ids with fresh attempts, and reopens a written report', async () => {
    await producer.enqueueSweep(plan('rt', ['ok', 'bad']));
    let healed = false;
    const trainer = worker<TrialJob>(QUEUES.train, async (job) => {
      if (job.data.trialId === 'bad' && !healed) {
        await recordStubTrial(redis, prefix, job, { status: 'failed', reason: 'TrialConfigError: oops' });
        throw new UnrecoverableError('TrialConfigError: oops');
      }
      return { trialId: job.data.trialId };
    });
    const reports: string[] = [];
    worker(QUEUES.report, async (job) => {
      reports.push(String(job.id));
      return {};
    });
    await until(async () => (await state(QUEUES.report, reportJobId('rt'))) === 'completed');
    expect((await reader.status('rt'))?.counts).toMatchObject({ done: 1, failed: 1 });

    await trainer.pause();
    healed = true;
    expect(await producer.retryFailed('rt')).toEqual({
      sweepId: 'rt',
      retried: ['bad'],
      reportReopened: true,
    });
    const bad = await producer.queue(QUEUES.train).getJob(trialJobId('rt', 'bad'));
    expect(bad?.attemptsMade).toBe(0);
    expect(await bad?.getState()).toBe('waiting');
    expect(await new TrialRecordStore(redis, prefix).state('rt', 'bad')).toMatchObject({
      status: 'waiting',
      attempts: 1,
      reason: 'retried (mtl retry)',
    });
    expect(await producer.retryFailed('rt')).toMatchObject({ retried: [] });
    trainer.resume();
    await until(async () => (await state(QUEUES.train, trialJobId('rt', 'bad'))) === 'completed');
    expect((await reader.status('rt'))?.counts).toMatchObject({ done: 2, failed: 0 });
    expect(reports.length).toBeGreaterThanOrEqual(1);

    await producer.cancelSweep('rt');
    await expect(producer.retryFailed('rt')).rejects.toThrow(SweepCancelledError);
    expect(await producer.retryFailed('nope')).toBeUndefined();
  });
});
