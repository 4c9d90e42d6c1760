import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUEUES, reportJobId, trialJobId } from '@repo/contracts';
import { describe, expect } from 'vitest';
import { childrenOf, isAlive } from '../../../tooling/vitest/processes.js';
import { type PipelineFixture, pipelineTest, tinySweep } from './pipeline-fixture.js';

// Short locks so a dead worker's trial is noticed in seconds rather than the default 30 s.
const FAST_RECOVERY = { LOCK_DURATION_MS: '3000', STALLED_INTERVAL_MS: '1000' };
const LONG_TRIAL = { epochs: 5, earlyStopping: { patience: 100 } };

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const epochDone = (minEpoch: number) => (line: Record<string, unknown>) =>
  line.msg === 'epoch done' && Number(line.epoch) >= minEpoch;

async function historyEpochs(fixture: PipelineFixture, sweepId: string, trialId: string): Promise<number[]> {
  const history = JSON.parse(
    await readFile(join(fixture.layout.trialDir(sweepId, trialId), 'history.json'), 'utf8'),
  );
  return history.train.map((entry: { epoch: number }) => entry.epoch);
}

describe('trainer faults', () => {
  pipelineTest(
    'kill -9 mid-trial: its sandbox exits, another worker resumes from the checkpoint, one run record',
    async ({ fixture }) => {
      fixture.start('generator');
      fixture.start('reporter');
      const doomed = fixture.start('trainer', FAST_RECOVERY);
      await fixture.producer.enqueueSweep(tinySweep('crash', [{ trialId: 't1', config: LONG_TRIAL }]));
      await doomed.waitForLine(epochDone(2));
      const sandboxes = childrenOf(doomed.child.pid!);
      expect(sandboxes.length).toBe(1);
      doomed.child.kill('SIGKILL');
      await until(() => !isAlive(sandboxes[0]!), 15_000, 'the orphaned sandbox exits');

      const rescuer = fixture.start('trainer', FAST_RECOVERY);
      const summary = await fixture.trialSummary(trialJobId('crash', 't1'));
      expect(summary.resumedEpochs).toBeGreaterThanOrEqual(2);
      expect(summary.epochs).toBe(5);
      expect(rescuer.lines.some((line) => line.msg === 'trial recorded')).toBe(true);
      expect(await historyEpochs(fixture, 'crash', 't1')).toEqual([1, 2, 3, 4, 5]);
      expect(await readdir(fixture.layout.trialDir('crash', 't1'))).not.toContain('checkpoint');
      const trials = await readdir(join(fixture.layout.sweepDir('crash'), 'trials'));
      expect(trials).toEqual(['t1']);
      const report = await fixture.finished(QUEUES.report, reportJobId('crash'));
      expect(report.returnvalue.counts).toMatchObject({ completed: 1, failed: 0 });
    },
  );

  pipelineTest.for([
    ['SIGTERM to the worker', { signal: 'SIGTERM' as const }],
    ['Ctrl-C (SIGINT to its process group)', { signal: 'SIGINT' as const, group: true }],
  ] as const)(
    '%s mid-trial: it exits cleanly and hands the trial back without using an attempt',
    async ([, how], { fixture }) => {
      fixture.start('generator');
      const stopping = fixture.start('trainer');
      await fixture.producer.enqueueSweep(tinySweep('stop', [{ trialId: 't1', config: LONG_TRIAL }]));
      await stopping.waitForLine(epochDone(1));
      expect(await stopping.stop(60_000, how)).toBe(0);
      const job = await fixture.producer.queue(QUEUES.train).getJob(trialJobId('stop', 't1'));
      expect(await job?.getState()).toBe('waiting');
      expect(job?.attemptsMade).toBe(0);

      fixture.start('trainer');
      const summary = await fixture.trialSummary(trialJobId('stop', 't1'));
      expect(summary.resumedEpochs).toBeGreaterThanOrEqual(1);
      expect(await historyEpochs(fixture, 'stop', 't1')).toEqual([1, 2, 3, 4, 5]);
    },
  );
});
