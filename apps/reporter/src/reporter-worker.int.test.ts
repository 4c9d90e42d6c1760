import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactLayout,
  createRedis,
  PipelineProducer,
  QUEUES,
  reportJobId,
  type TrialJob,
  type TrialSummary,
} from '@repo/contracts';
import { evaluateHeads, RUN_RECORD_FORMAT, RUN_RECORD_VERSION } from '@repo/metrics';
import type { ReportView } from '@repo/report-view';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { jobsEnded } from '../../../tooling/vitest/jobs-ended.js';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { recordStubTrial } from '../../../tooling/vitest/trial-record.js';
import { createReporterWorker, reaggregate } from './reporter-worker.js';

/** A valid completed run record: t1 places its shape wrong, the others right. */
function runRecord(sweepId: string, trialId: string) {
  const shapeGuess = trialId === 't1' ? 1 : 0;
  return {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    runId: `${sweepId}-${trialId}`,
    sweepId,
    config: { arch: 'mtl-seed', trial: trialId },
    seed: 0,
    dataset: { id: 'd', sha256: '0'.repeat(64) },
    backend: 'cpu',
    packages: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:01:00.000Z',
    status: 'completed',
    history: [{ epoch: 1, train: { loss: 1 }, val: { loss: 1 } }],
    test: evaluateHeads({
      imageSize: 96,
      position: { true: [10, 10, 50, 50], pred: [12, 9, 50, 52] },
      shape: { true: [0, 0], pred: [shapeGuess, 0], labels: ['circle', 'rectangle', 'triangle'] },
      colour: { true: [1, 2], pred: [1, 2], labels: ['red', 'green', 'blue', 'yellow', 'pink', 'cyan'] },
    }),
    modelPath: `sweeps/${sweepId}/trials/${trialId}/model`,
  };
}

describe('reporter', () => {
  let redis: Redis;
  let workerRedis: Redis;
  let prefix: string;
  let layout: ArtifactLayout;
  let producer: PipelineProducer;

  beforeEach(async () => {
    redis = createRedis(inject('redisUrl'));
    workerRedis = createRedis(inject('redisUrl'), { role: 'worker' });
    prefix = `test-${randomUUID()}`;
    layout = new ArtifactLayout(await mkdtemp(join(tmpdir(), 'mtl-reporter-')));
    producer = new PipelineProducer(redis, { prefix });
  });

  afterEach(async () => {
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    workerRedis.disconnect();
    await rm(layout.root, { recursive: true, force: true });
  });

  /** A stand-in trainer: t1 records a run, `bad` fails for good, the rest only when `finishAll`. */
  function stubTrainer(finishAll: boolean): Worker {
    const worker = new Worker<TrialJob, TrialSummary>(
      QUEUES.train,
      async (job: Job<TrialJob>) => {
        const { sweepId, trialId } = job.data;
        if (trialId === 'bad') throw new UnrecoverableError('TrialConfigError: arch: unknown');
        if (trialId !== 't1' && !finishAll) throw new Error('not yet');
        const dir = layout.trialDir(sweepId, trialId);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'run.json'), JSON.stringify(runRecord(sweepId, trialId)));
        return (await recordStubTrial(redis, prefix, job, {
          result: { test: { shape_acc: trialId === 't1' ? 0.5 : 0.9 } },
        })) as TrialSummary;
      },
      { connection: workerRedis, prefix, autorun: false },
    );
    worker.on('error', () => {});
    return worker;
  }

  async function settle(worker: Worker, count: number): Promise<void> {
    const done = jobsEnded(worker, count);
    void worker.run();
    await done;
    await worker.close();
  }

  it('reports every trial when all have ended, failed ones with their reason; reaggregates early on demand', async () => {
    await producer.enqueueSweep({
      sweepId: 'sw',
      dataset: { samples: 10, seed: 1 },
      trials: ['t1', 't2', 'bad'].map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
    });
    // t2 fails its first attempt (retryable): it stays pending for an early re-aggregation.
    await settle(stubTrainer(false), 3);
    const early = await reaggregate('sw', { connection: redis, prefix, layout });
    expect(early.counts).toEqual({
      trials: 3,
      completed: 1,
      stopped: 0,
      failed: 1,
      cancelled: 0,
      pending: 1,
    });

    const reporter = createReporterWorker({
      connection: workerRedis,
      prefix,
      layout,
      logger: pino({ level: 'silent' }),
    });
    try {
      await producer.queue(QUEUES.train).promoteJobs();
      await settle(stubTrainer(true), 1);
      const job = await producer.queue(QUEUES.report).getJob(reportJobId('sw'));
      for (let i = 0; i < 100 && (await job?.getState()) !== 'completed'; i++)
        await new Promise((r) => setTimeout(r, 100));
      const report: ReportView = JSON.parse(await readFile(layout.reportFile('sw', 'json'), 'utf8'));
      expect(report.counts).toEqual({
        trials: 3,
        completed: 2,
        stopped: 0,
        failed: 1,
        cancelled: 0,
        pending: 0,
      });
      expect(report.completed.map((t) => t.trialId)).toEqual(['t1', 't2']);
      expect(report.aggregate.counts).toMatchObject({ total: 2, completed: 2, invalid: 0 });
      expect(report.aggregate.leaderboard.map((group) => group.config.trial)).toEqual(['t2', 't1']);
      expect(report.failed).toEqual([{ trialId: 'bad', reason: 'TrialConfigError: arch: unknown' }]);
      expect((await producer.sweeps.get('sw'))?.reportFile).toBe(layout.reportFile('sw', 'json'));
    } finally {
      await reporter.close();
    }
  });

  it('names a completed trial whose run record is gone, and where it was looked for', async () => {
    await producer.enqueueSweep({
      sweepId: 'gone',
      dataset: { samples: 10, seed: 1 },
      trials: [{ trialId: 't1', config: { arch: 'mtl-seed' }, seed: 0 }],
    });
    await settle(stubTrainer(false), 1);
    const file = join(layout.trialDir('gone', 't1'), 'run.json');
    await rm(file);
    const result = await reaggregate('gone', { connection: redis, prefix, layout });
    expect(result.counts).toMatchObject({ completed: 0, failed: 1 });
    expect(result.missing).toEqual(['t1']);
    const report: ReportView = JSON.parse(await readFile(layout.reportFile('gone', 'json'), 'utf8'));
    expect(report.failed).toEqual([
      {
        trialId: 't1',
        reason: `run record missing: ${file} (deleted, or the trainer wrote it under another ARTIFACTS_DIR)`,
      },
    ]);
  });

  it('a report reopened by retryFailed waits for the retried trials, then is written again', async () => {
    await producer.enqueueSweep({
      sweepId: 'rr',
      dataset: { samples: 10, seed: 1 },
      trials: ['t1', 'bad'].map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
    });
    const reporter = createReporterWorker({
      connection: workerRedis,
      prefix,
      layout,
      logger: pino({ level: 'silent' }),
    });
    const reportState = () => producer.queue(QUEUES.report).getJobState(reportJobId('rr'));
    const until = async (state: string) => {
      for (let i = 0; i < 100 && (await reportState()) !== state; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await reportState()).toBe(state);
    };
    const readReport = async (): Promise<ReportView> =>
      JSON.parse(await readFile(layout.reportFile('rr', 'json'), 'utf8'));
    try {
      await settle(stubTrainer(true), 2);
      await until('completed');
      expect((await readReport()).counts).toMatchObject({ completed: 1, failed: 1 });

      expect(await producer.retryFailed('rr')).toMatchObject({ retried: ['bad'], reportReopened: true });
      await until('waiting-children');
      // The retried trial now succeeds (a stand-in that records a run for it).
      const healed = new Worker<TrialJob, TrialSummary>(
        QUEUES.train,
        async (job: Job<TrialJob>) => {
          const dir = layout.trialDir('rr', job.data.trialId);
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, 'run.json'), JSON.stringify(runRecord('rr', job.data.trialId)));
          return (await recordStubTrial(redis, prefix, job)) as TrialSummary;
        },
        { connection: workerRedis, prefix, autorun: false },
      );
      healed.on('error', () => {});
      await settle(healed, 1);
      await until('completed');
      expect((await readReport()).counts).toMatchObject({ completed: 2, failed: 0 });
    } finally {
      await reporter.close();
    }
  });

  it('names a sweep it does not know', async () => {
    await expect(reaggregate('ghost', { connection: redis, prefix, layout })).rejects.toThrow(
      'no sweep ghost',
    );
  });
});
