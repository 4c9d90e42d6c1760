import { readFile } from 'node:fs/promises';
import { QUEUES, reportJobId, SweepStatusReader, TrialRecordStore } from '@repo/contracts';
import { parseSweepSpec, planSweep, suggestTrials } from '@repo/sweep';
import { describe, expect } from 'vitest';
import { pipelineTest } from './pipeline-fixture.js';

// 96×96 images, a quarter-width model, 1 epoch: 1 start-up configuration, then 2 suggested ones.
const SPEC = `name: tpe grows
dataset: { imageSize: 96, samples: 80, test: 32, seed: 5, shardSize: 40 }
search: { kind: tpe, trials: 3, startup: 1, seed: 4 }
parameters:
  arch: mtl-seed
  widthMultiplier: 0.25
  batchSize: 16
  epochs: 1
  learningRate: { distribution: log-uniform, min: 0.0005, max: 0.005 }
`;

// Real worker processes (apps/*/dist/main.js: run `pnpm build` first) against a real Redis.
describe('a TPE sweep grows as results arrive', () => {
  pipelineTest(
    'trainers add each suggested configuration once, with deterministic ids, until n trials',
    async ({ fixture }) => {
      const spec = parseSweepSpec(SPEC);
      const plan = planSweep(spec);
      expect(plan.trials.map((trial) => trial.trialId)).toEqual(['t000']);
      fixture.start('generator');
      fixture.start('trainer');
      fixture.start('trainer');
      fixture.start('reporter');
      await fixture.producer.enqueueSweep({ ...plan, tpe: { spec: JSON.parse(JSON.stringify(spec)) } });
      await fixture.finished(QUEUES.report, reportJobId(plan.sweepId));

      const report = JSON.parse(await readFile(fixture.layout.reportFile(plan.sweepId, 'json'), 'utf8'));
      expect(report.counts).toMatchObject({ trials: 3, completed: 3, failed: 0, pending: 0 });
      expect(report.completed.map((trial: { trialId: string }) => trial.trialId)).toEqual([
        't000',
        't001',
        't002',
      ]);

      // The trials added are what suggestTrials gives from the results recorded before each was claimed.
      const trials = await fixture.producer.sweeps.trials(plan.sweepId);
      expect(trials.map((trial) => trial.trialId)).toEqual(['t000', 't001', 't002']);
      const records = await new TrialRecordStore(fixture.redis, fixture.prefix).states(
        plan.sweepId,
        trials.map((trial) => trial.trialId),
      );
      const results = new Map(
        [...records].map(([trialId, state]) => [trialId, state.objective ?? Number.NaN]),
      );
      expect([...records.values()].map((state) => state.status)).toEqual([
        'completed',
        'completed',
        'completed',
      ]);
      expect([...results.values()].every(Number.isFinite)).toBe(true);
      const first = [{ config: trials[0]?.config ?? {}, value: results.get('t000') ?? Number.NaN }];
      expect(suggestTrials(spec, first, 1)).toEqual([trials[1]]);

      const reader = new SweepStatusReader(fixture.redis, fixture.prefix);
      try {
        const status = await reader.status(plan.sweepId);
        expect(status).toMatchObject({ state: 'completed', counts: { total: 3, done: 3 } });
        expect(status?.best?.value).toBe(Math.min(...results.values()));
      } finally {
        await reader.close();
      }
    },
  );
});
