import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUEUES, reportJobId, SweepStatusReader, trialJobId } from '@repo/contracts';
import { describe, expect } from 'vitest';
import { pipelineTest, tinySweep } from './pipeline-fixture.js';

// Real worker processes (apps/*/dist/main.js: run `pnpm build` first) against a real Redis.
describe('cancelling a sweep', () => {
  pipelineTest(
    'stops the running trial at its next epoch, removes the waiting one, and the report lists both',
    async ({ fixture }) => {
      const plan = tinySweep('cancel', [
        { trialId: 't1', config: { epochs: 6 } },
        { trialId: 't2', config: { epochs: 6 } },
      ]);
      fixture.start('generator');
      fixture.start('trainer');
      fixture.start('reporter');
      await fixture.producer.enqueueSweep(plan);
      const train = fixture.producer.queue(QUEUES.train);
      for (;;) {
        const job = await train.getJob(trialJobId('cancel', 't1'));
        if ((job?.progress as { epoch?: number } | undefined)?.epoch !== undefined) break;
        await new Promise((r) => setTimeout(r, 100));
      }

      expect(await fixture.producer.cancelSweep('cancel')).toMatchObject({
        removed: ['t2'],
        stopping: ['t1'],
      });
      await fixture.finished(QUEUES.report, reportJobId('cancel'));
      const t1 = await train.getJob(trialJobId('cancel', 't1'));
      expect(t1?.failedReason).toMatch(
        /^SweepCancelledError: sweep cancel was cancelled; stopped after epoch [1-5]$/,
      );
      expect(t1?.attemptsMade).toBe(1);
      // Nothing lost: its last epoch checkpoint stays.
      await access(join(fixture.layout.trialDir('cancel', 't1'), 'checkpoint', 'train.ckpt'));

      const report = JSON.parse(await readFile(fixture.layout.reportFile('cancel', 'json'), 'utf8'));
      expect(report.counts).toMatchObject({ trials: 2, completed: 0, failed: 0, cancelled: 2 });
      expect(report.cancelled.map((trial: { trialId: string }) => trial.trialId)).toEqual(['t1', 't2']);
      const reader = new SweepStatusReader(fixture.redis, fixture.prefix);
      try {
        expect((await reader.status('cancel'))?.state).toBe('cancelled');
      } finally {
        await reader.close();
      }
    },
  );
});
