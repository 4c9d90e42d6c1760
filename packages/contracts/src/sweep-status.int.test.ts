import { randomUUID } from 'node:crypto';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { jobsEnded } from '../../../tooling/vitest/jobs-ended.js';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { recordStubTrial } from '../../../tooling/vitest/trial-record.js';
import { trialJobId } from './ids.js';
import type { TrialJob } from './job-payloads.js';
import { PipelineProducer } from './pipeline-producer.js';
import { QUEUES } from './queue-names.js';
import { createRedis } from './redis-connection.js';
import type { SweepPlanInput } from './sweep-plan.js';
import { DEFAULT_OBJECTIVE } from './sweep-plan.js';
import { SweepStatusReader } from './sweep-status.js';
import { bestObjective } from './trial-objective.js';
import type { TrialSummary } from './trial-record.js';
import { TrialRecordStore } from './trial-record-store.js';

const plan = (sweepId: string, trialIds: string[]): SweepPlanInput => ({
  sweepId,
  name: `sweep ${sweepId}`,
  dataset: { imageSize: 32, samples: 20, test: 10, seed: 3 },
  trials: trialIds.map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed', epochs: 2 }, seed })),
});

describe('SweepStatusReader', () => {
  let redis: Redis;
  let workerRedis: Redis;
  let prefix: string;
  let producer: PipelineProducer;
  let reader: SweepStatusReader;

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'));
    workerRedis = createRedis(inject('redisUrl'), { role: 'worker' });
    prefix = `test-${randomUUID()}`;
    producer = new PipelineProducer(redis, { prefix });
    reader = new SweepStatusReader(redis, prefix);
  });

  afterEach(async () => {
    await reader.close();
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    workerRedis.disconnect();
  });

  /**
   * A stand-in trainer: `good` reports two epochs and completes, `pruned` is stopped by the scheduler,
   * `bad` fails for good, `slow` reports one epoch and stays running until `release` is called.
   */
  async function runTrials(count: number) {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const worker = new Worker<TrialJob, TrialSummary>(
      QUEUES.train,
      async (job: Job<TrialJob>) => {
        started++;
        const { trialId } = job.data;
        if (trialId === 'bad') {
          await recordStubTrial(redis, prefix, job, {
            status: 'failed',
            reason: 'TrialConfigError: arch: unknown',
          });
          throw new UnrecoverableError('TrialConfigError: arch: unknown');
        }
        const losses = trialId === 'good' ? [0.9, 0.4] : trialId === 'pruned' ? [2.5] : [1.5];
        let objective: number | undefined;
        const epochs = losses.map((loss, i) => {
          const val = { loss, position_mae: 10 * loss, shape_acc: 1 - loss / 3, colour_acc: 1 };
          objective = bestObjective(objective, val, DEFAULT_OBJECTIVE);
          return {
            entry: { epoch: i + 1, train: { loss }, val },
            ...(objective === undefined ? {} : { objective }),
          };
        });
        if (trialId === 'slow') {
          // Running: its attempt has written one epoch and not ended.
          const writer = await new TrialRecordStore(redis, prefix).startAttempt(
            { ...job.data, jobId: job.id ?? '' },
            'stub/1',
          );
          const [first] = epochs;
          if (first)
            await writer.epoch(first.entry, {
              objective: first.objective,
              progress: { phase: 'train', epoch: 1, epochs: 2, val: first.entry.val },
            });
          await held;
          return (await recordStubTrial(redis, prefix, job)) as TrialSummary;
        }
        const stub = { epochs, result: { epochs: 2, bestEpoch: 2 } };
        if (trialId === 'pruned')
          return (await recordStubTrial(redis, prefix, job, {
            ...stub,
            status: 'stopped',
            reason: 'rung 1: ranks 2 of 2',
            result: { stoppedByScheduler: 'rung 1: ranks 2 of 2' },
          })) as TrialSummary;
        return (await recordStubTrial(redis, prefix, job, stub)) as TrialSummary;
      },
      { connection: workerRedis, prefix, concurrency: 4 },
    );
    worker.on('error', () => {});
    const settled = jobsEnded(worker, count);
    return { worker, release, settled, started: () => started };
  }

  // The default objective, val_combined = position MAE + 100 × (shape error + colour error): 43⅓ × loss here.
  const combined = (loss: number) => 10 * loss + (100 * loss) / 3;

  it('reports each trial with its state, progress and objective, the counts and the best trial', async () => {
    await producer.enqueueSweep(plan('sw', ['good', 'pruned', 'bad', 'slow']));
    expect((await reader.status('sw'))?.state).toBe('queued');
    const trainer = await runTrials(3);
    try {
      await trainer.settled;
      for (let i = 0; i < 100 && (await reader.status('sw'))?.counts.running !== 1; i++)
        await new Promise((r) => setTimeout(r, 50));
      const status = await reader.status('sw');
      expect(status).toMatchObject({
        state: 'running',
        objective: { metric: 'val_combined', direction: 'minimize' },
        counts: { total: 4, done: 2, failed: 1, running: 1, waiting: 0, cancelled: 0 },
        best: { trialId: 'good' },
      });
      expect(status?.best?.value).toBeCloseTo(combined(0.4), 10);
      expect(status?.trials.map((t) => [t.trialId, t.state])).toEqual([
        ['good', 'completed'],
        ['pruned', 'stopped'],
        ['bad', 'failed'],
        ['slow', 'running'],
      ]);
      const [good, pruned, bad, slow] = status?.trials ?? [];
      expect(good).toMatchObject({
        jobId: trialJobId('sw', 'good'),
        attempts: 1,
        progress: { phase: 'train', epoch: 2, epochs: 2, val: { loss: 0.4 } },
      });
      expect(pruned?.reason).toBe('rung 1: ranks 2 of 2');
      expect(bad?.reason).toBe('TrialConfigError: arch: unknown');
      expect(good?.objective).toBeCloseTo(combined(0.4), 10);
      expect(slow).toMatchObject({ progress: { epoch: 1, epochs: 2 } });
      expect(slow?.objective).toBeCloseTo(combined(1.5), 10);
    } finally {
      trainer.release();
      await trainer.worker.close();
    }
  });

  it('a sweep whose trials all failed is failed; an objective in the plan ranks by it', async () => {
    await producer.enqueueSweep({
      ...plan('all-bad', ['bad']),
      objective: { metric: 'val_shape_acc', direction: 'maximize' },
    });
    const trainer = await runTrials(1);
    await trainer.settled;
    await trainer.worker.close();
    const status = await reader.status('all-bad');
    expect(status).toMatchObject({
      state: 'failed',
      objective: { metric: 'val_shape_acc', direction: 'maximize' },
    });
    expect(status?.best).toBeUndefined();
  });

  it('a cancelled sweep lists its removed trials as cancelled', async () => {
    await producer.enqueueSweep(plan('cx', ['a', 'b']));
    await producer.sweeps.markCancelled('cx');
    await producer.queue(QUEUES.train).remove(trialJobId('cx', 'b'));
    const status = await reader.status('cx');
    expect(status?.state).toBe('cancelled');
    expect(status?.trials.map((t) => t.state)).toEqual(['waiting', 'cancelled']);
    expect(status?.counts).toMatchObject({ waiting: 1, cancelled: 1 });
  });

  it('a trial whose record says running but whose attempt died is what its queue says', async () => {
    await producer.enqueueSweep(plan('dead', ['a']));
    const job = await producer.queue(QUEUES.train).getJob(trialJobId('dead', 'a'));
    // An attempt started and its process was killed: the job went back to waiting (stalled).
    await new TrialRecordStore(redis, prefix).startAttempt(
      { ...(job?.data as TrialJob), jobId: job?.id ?? '' },
      'gone/1',
    );
    const [trial] = (await reader.status('dead'))?.trials ?? [];
    expect(trial).toMatchObject({ state: 'waiting', attempts: 1 });
  });

  it('lists sweeps newest first with their state and counts; knows no unknown sweep', async () => {
    await producer.enqueueSweep(plan('first', ['a']));
    await new Promise((r) => setTimeout(r, 5));
    await producer.enqueueSweep(plan('second', ['a', 'b']));
    expect(await reader.latest()).toBe('second');
    const list = await reader.listSweeps();
    expect(list.map((s) => [s.sweepId, s.name, s.state, s.counts.total])).toEqual([
      ['second', 'sweep second', 'queued', 2],
      ['first', 'sweep first', 'queued', 1],
    ]);
    expect(await reader.status('nope')).toBeUndefined();
  });
});
