import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRedis, QUEUES, reportJobId, TrialRecordStore, trialJobId } from '@repo/contracts';
import { datasetId, datasetSpecSchema } from '@repo/dataset';
import { parseRunRecord, samplePredictionsSchema } from '@repo/metrics';
import { QueueEvents } from 'bullmq';
import { describe, expect } from 'vitest';
import { pipelineTest, tinySweep } from './pipeline-fixture.js';

// Real worker processes (apps/*/dist/main.js: run `pnpm build` first) against a real Redis.
describe('the sweep pipeline', () => {
  pipelineTest(
    'runs a tiny sweep end to end; a failed trial is reported; a second enqueue adds nothing',
    async ({ fixture }) => {
      const plan = tinySweep('e2e', [
        { trialId: 't1' },
        { trialId: 't2', config: { learningRate: 0.003 } },
        { trialId: 't3', config: { widthMultiplier: 0.5 } },
        { trialId: 'bad', config: { arch: 'no-such-arch' } },
      ]);
      const eventsRedis = createRedis(fixture.redisUrl, { role: 'worker' });
      const events = new QueueEvents(QUEUES.train, { connection: eventsRedis, prefix: fixture.prefix });
      const progress: unknown[] = [];
      events.on('progress', ({ data }) => progress.push(data));
      await events.waitUntilReady();
      try {
        // Trainers first: their trials wait for the dataset without failing.
        fixture.start('trainer');
        fixture.start('trainer');
        await fixture.producer.enqueueSweep(plan);
        fixture.start('generator');
        fixture.start('reporter');
        expect((await fixture.producer.enqueueSweep(plan)).created).toBe(false);

        const report = await fixture.finished(QUEUES.report, reportJobId('e2e'));
        expect(await report.getState()).toBe('completed');
        const written = JSON.parse(await readFile(fixture.layout.reportFile('e2e', 'json'), 'utf8'));
        expect(written.counts).toEqual({
          trials: 4,
          completed: 3,
          stopped: 0,
          failed: 1,
          cancelled: 0,
          pending: 0,
        });
        expect(written.completed.map((t: { trialId: string }) => t.trialId).sort()).toEqual([
          't1',
          't2',
          't3',
        ]);
        expect(written.aggregate.counts).toMatchObject({ completed: 3, invalid: 0 });
        expect(written.aggregate.leaderboard).toHaveLength(3);
        expect(written.failed[0].trialId).toBe('bad');
        expect(written.failed[0].reason).toMatch(/TrialConfigError: arch: must be one of/);

        const bad = await fixture.producer.queue(QUEUES.train).getJob(trialJobId('e2e', 'bad'));
        expect(bad?.attemptsMade).toBe(1); // deterministic: no retries
        expect(await new TrialRecordStore(fixture.redis, fixture.prefix).state('e2e', 'bad')).toMatchObject({
          status: 'failed',
          reason: expect.stringMatching(/TrialConfigError: arch: must be one of/),
        });
        expect(await fixture.producer.queue(QUEUES.train).getJobCountByTypes('completed', 'failed')).toBe(4);
        for (const trialId of ['t1', 't2', 't3']) {
          const files = await readdir(fixture.layout.trialDir('e2e', trialId));
          expect(files.sort()).toEqual([
            'confusion.json',
            'history.json',
            'model',
            'predictions.json',
            'run.json',
            'trial.json',
          ]);
          // The trial's one record, in Redis and mirrored beside run.json.
          const state = await new TrialRecordStore(fixture.redis, fixture.prefix).record('e2e', trialId);
          expect(state).toMatchObject({ status: 'completed', attempts: 1, result: { epochs: 2 } });
          expect(state?.curve.map((entry) => entry.epoch)).toEqual([1, 2]);
          const mirrored = JSON.parse(
            await readFile(join(fixture.layout.trialDir('e2e', trialId), 'trial.json'), 'utf8'),
          );
          expect(mirrored).toEqual(state);
          const summary = await fixture.trialSummary(trialJobId('e2e', trialId));
          expect(summary.epochs).toBe(2);
          const runFile = join(fixture.artifacts, summary.runFile);
          const record = parseRunRecord(JSON.parse(await readFile(runFile, 'utf8')), runFile);
          expect(record).toMatchObject({
            status: 'completed',
            sweepId: 'e2e',
            runId: trialJobId('e2e', trialId),
          });
          expect(record.history).toHaveLength(2);
          const predictionsFile = join(fixture.layout.trialDir('e2e', trialId), 'predictions.json');
          const predictions = samplePredictionsSchema.parse(
            JSON.parse(await readFile(predictionsFile, 'utf8')),
          );
          const tested =
            record.status === 'completed' ? (record.test.position?.count ?? Number.NaN) : Number.NaN;
          expect(predictions.positionErrorsPx).toHaveLength(tested);
          expect(predictions.samples).toHaveLength(Math.min(12, tested));
        }
        expect(progress).toContainEqual(expect.objectContaining({ phase: 'train', epoch: 2, epochs: 2 }));
        expect((await fixture.producer.sweeps.get('e2e'))?.reportFile).toBe(
          fixture.layout.reportFile('e2e', 'json'),
        );
      } finally {
        await events.close();
        eventsRedis.disconnect();
      }
    },
  );

  pipelineTest(
    'fails every trial at once on a corrupted shard, and the sweep still reports',
    async ({ fixture }) => {
      const plan = tinySweep('corrupt', [{ trialId: 't1' }, { trialId: 't2' }]);
      const generator = fixture.start('generator');
      const dataset = await fixture.producer.enqueueDataset(plan.dataset);
      await fixture.finished(QUEUES.generate, dataset.jobId);
      await generator.stop();
      const shard = join(fixture.layout.datasetDir(dataset.datasetId), 'train-00000-images.npy');
      const bytes = await readFile(shard);
      const last = bytes.length - 1;
      bytes.writeUInt8(bytes.readUInt8(last) ^ 0xff, last);
      await writeFile(shard, bytes);

      fixture.start('trainer');
      fixture.start('reporter');
      await fixture.producer.enqueueSweep(plan);
      await fixture.finished(QUEUES.report, reportJobId('corrupt'));
      const report = JSON.parse(await readFile(fixture.layout.reportFile('corrupt', 'json'), 'utf8'));
      expect(report.counts).toMatchObject({ completed: 0, failed: 2 });
      for (const failure of report.failed)
        expect(failure.reason).toMatch(/ShardCorruptedError: .*train-00000-images\.npy/);
      const job = await fixture.producer.queue(QUEUES.train).getJob(trialJobId('corrupt', 't1'));
      expect(job?.attemptsMade).toBe(1);
    },
  );

  pipelineTest(
    'fails a waiting trial with the generator reason when its dataset cannot be generated',
    async ({ fixture }) => {
      const plan = tinySweep('nodata', [{ trialId: 't1' }]);
      const id = datasetId(datasetSpecSchema.parse(plan.dataset));
      // A file where the dataset directory should be: every shard write fails (ENOTDIR / EEXIST).
      await mkdir(join(fixture.artifacts, 'datasets'), { recursive: true });
      await writeFile(fixture.layout.datasetDir(id), 'not a directory');
      fixture.start('trainer');
      fixture.start('reporter');
      await fixture.producer.enqueueSweep(plan);
      fixture.start('generator');
      const trial = await fixture.finished(QUEUES.train, trialJobId('nodata', 't1'));
      expect(trial.failedReason).toMatch(new RegExp(`dataset ${id} could not be generated: `));
      expect(trial.attemptsMade).toBe(1);
      await fixture.finished(QUEUES.report, reportJobId('nodata'));
    },
  );
});
