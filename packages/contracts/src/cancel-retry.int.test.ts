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

describe('PipelineProducer.cancelSweep / retryFailed / resumeCancelled / forgetSweep', () => {
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

  it('resumeCancelled lifts the cancel and runs the trials it ended (removed or stopped), keeping finished ones', async () => {
    await producer.enqueueSweep(plan('rc', ['done', 'stopped', 'never']));
    let resuming = false;
    const runs: string[] = [];
    const trainer = worker<TrialJob>(QUEUES.train, async (job) => {
      runs.push(job.data.trialId);
      if (job.data.trialId === 'stopped' && !resuming) {
        // Cancelled while it trains: it stops at its epoch's end, as a trainer does.
        await producer.cancelSweep('rc');
        await recordStubTrial(redis, prefix, job, { status: 'cancelled', reason: 'SweepCancelledError: x' });
        throw new UnrecoverableError('SweepCancelledError: sweep rc was cancelled; stopped after epoch 1');
      }
      return recordStubTrial(redis, prefix, job);
    });
    worker(QUEUES.report, async () => ({}));
    // 'done' completes, 'stopped' is taken when the cancel comes, 'never' is removed by it.
    await until(async () => (await state(QUEUES.train, trialJobId('rc', 'done'))) === 'completed');
    await until(async () => (await state(QUEUES.report, reportJobId('rc'))) === 'completed');
    expect(await reader.status('rc')).toMatchObject({ state: 'cancelled' });
    await expect(producer.retryFailed('rc')).rejects.toThrow(/mtl retry rc --cancelled/);

    await trainer.pause();
    resuming = true;
    const resumed = await producer.resumeCancelled('rc');
    expect(resumed?.retried.sort()).toEqual(['never', 'stopped']);
    expect(resumed?.reportReopened).toBe(true);
    expect((await producer.sweeps.get('rc'))?.cancelledAt).toBeUndefined();
    expect(await new TrialRecordStore(redis, prefix).state('rc', 'never')).toMatchObject({
      status: 'waiting',
      reason: 'resumed after a cancel (mtl retry --cancelled)',
    });
    trainer.resume();
    await until(async () => (await reader.status('rc'))?.state === 'completed');
    expect((await reader.status('rc'))?.counts).toMatchObject({ done: 3, cancelled: 0, failed: 0 });
    expect(runs.sort()).toEqual(['done', 'never', 'stopped', 'stopped']);
    expect(await producer.resumeCancelled('rc')).toEqual({
      sweepId: 'rc',
      retried: [],
      reportReopened: false,
    });
    expect(await producer.resumeCancelled('nope')).toBeUndefined();
  });

  it('forgetSweep removes every job and key of a sweep, so its plan enqueues afresh; never under a running trial', async () => {
    await producer.enqueueSweep(plan('fg', ['a', 'b']));
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    worker<TrialJob>(QUEUES.train, async (job) => {
      if (job.data.trialId === 'b') await held;
      return recordStubTrial(redis, prefix, job);
    });
    await until(async () => (await state(QUEUES.train, trialJobId('fg', 'b'))) === 'active');
    await expect(producer.forgetSweep('fg')).rejects.toMatchObject({
      code: 'ERR_SWEEP_BUSY',
      running: ['b'],
    });
    expect(await producer.sweeps.get('fg')).toBeDefined();
    release();
    await until(async () => (await state(QUEUES.report, reportJobId('fg'))) === 'waiting');

    expect(await producer.forgetSweep('fg')).toBe(true);
    expect(await producer.sweeps.get('fg')).toBeUndefined();
    expect(await producer.sweeps.list()).toEqual([]);
    expect(await redis.keys(`${prefix}:sweep:fg*`)).toEqual([]);
    expect(await state(QUEUES.report, reportJobId('fg'))).toBe('unknown');
    expect(await state(QUEUES.train, trialJobId('fg', 'a'))).toBe('unknown');
    expect(await producer.forgetSweep('fg')).toBe(false);
    const again = await producer.enqueueSweep(plan('fg', ['a', 'b']));
    expect(again.created).toBe(true);
    await until(async () => (await reader.status('fg'))?.counts.done === 2);
  });
});
