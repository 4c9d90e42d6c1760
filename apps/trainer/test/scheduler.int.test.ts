import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUEUES, reportJobId, SweepStatusReader, trialJobId } from '@repo/contracts';
import { parseRunRecord } from '@repo/metrics';
import { describe, expect } from 'vitest';
import { pipelineTest, tinySweep } from './pipeline-fixture.js';

// Real worker processes (apps/*/dist/main.js: run `pnpm build` first) against a real Redis.
describe('schedulers applied by the trainer', () => {
  pipelineTest(
    'median stopping stops a clearly bad trial after its first epoch; the report lists it',
    async ({ fixture }) => {
      const plan = {
        ...tinySweep('median', [
          { trialId: 'good' },
          // Its validation loss weighs every head 50 times: far above the good trial's at every epoch.
          { trialId: 'bad', config: { lossWeights: { position: 50, shape: 50, colour: 50 } } },
        ]),
        scheduler: {
          kind: 'median',
          metric: 'val_loss',
          direction: 'minimize',
          gracePeriod: 1,
          minTrials: 1,
        } as const,
      };
      // One trainer takes the trials in order: `good` has an epoch 1 to compare with when `bad` gets there.
      fixture.start('generator');
      fixture.start('trainer');
      fixture.start('reporter');
      await fixture.producer.enqueueSweep(plan);
      await fixture.finished(QUEUES.report, reportJobId('median'));

      const good = await fixture.trialSummary(trialJobId('median', 'good'));
      expect(good).toMatchObject({ epochs: 2 });
      expect(good.stoppedByScheduler).toBeUndefined();
      const bad = await fixture.trialSummary(trialJobId('median', 'bad'));
      expect(bad).toMatchObject({ epochs: 1, stoppedEarly: true, test: {} });
      expect(bad.stoppedByScheduler).toMatch(/^best val_loss \S+ by epoch 1 is worse than the median/);

      const runFile = join(fixture.artifacts, bad.runFile);
      const record = parseRunRecord(JSON.parse(await readFile(runFile, 'utf8')), runFile);
      expect(record).toMatchObject({ status: 'stopped-early-by-scheduler', reason: bad.stoppedByScheduler });
      expect(record.history.map((entry) => entry.epoch)).toEqual([1]);

      const report = JSON.parse(await readFile(fixture.layout.reportFile('median', 'json'), 'utf8'));
      expect(report.counts).toMatchObject({ completed: 1, stopped: 1, failed: 0 });
      expect(report.stopped).toEqual([{ trialId: 'bad', epochs: 1, reason: bad.stoppedByScheduler }]);

      const reader = new SweepStatusReader(fixture.redis, fixture.prefix);
      try {
        const status = await reader.status('median');
        expect(status?.state).toBe('completed');
        expect(status?.trials.map((trial) => trial.state)).toEqual(['completed', 'stopped']);
        expect(status?.best?.trialId).toBe('good');
      } finally {
        await reader.close();
      }
    },
  );
});
