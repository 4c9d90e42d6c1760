import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QUEUES, reportJobId, trialJobId } from '@repo/contracts';
import { parseRunRecord, samplePredictionsSchema } from '@repo/metrics';
import { describe, expect } from 'vitest';
import { pipelineTest, tinySweep } from './pipeline-fixture.js';

// Real worker processes (apps/*/dist/main.js: run `pnpm build` first) against a real Redis.
describe('a single-task trial', () => {
  pipelineTest(
    'stl-shape trains, is scored and reported on its one head; the absent heads are left out, never 0',
    async ({ fixture }) => {
      const plan = tinySweep('stl', [{ trialId: 'shape', config: { arch: 'stl-shape', epochs: 1 } }]);
      fixture.start('generator');
      fixture.start('trainer');
      fixture.start('reporter');
      await fixture.producer.enqueueSweep(plan);

      const summary = await fixture.trialSummary(trialJobId('stl', 'shape'));
      // The headline figures of the head it has; combined is that head's term, 100 × (1 − accuracy).
      expect(Object.keys(summary.test).sort()).toEqual(['combined', 'shape_acc']);
      expect(summary.test.combined).toBeCloseTo(100 * (1 - (summary.test.shape_acc ?? Number.NaN)), 9);

      const dir = fixture.layout.trialDir('stl', 'shape');
      const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
      const record = parseRunRecord(await read('run.json'), 'run.json');
      expect(record.status).toBe('completed');
      if (record.status !== 'completed') return;
      expect(record.config.arch).toBe('stl-shape');
      expect(Object.keys(record.test).sort()).toEqual(['imageSize', 'shape']);
      expect(record.test.shape?.confusion.flat().reduce((a, b) => a + b)).toBe(32);
      expect(record.history).toHaveLength(1);
      expect(Object.keys(record.history[0]?.val ?? {}).sort()).toEqual(['loss', 'shape_acc', 'shape_loss']);

      const predictions = samplePredictionsSchema.parse(await read('predictions.json'));
      expect(predictions.labels).toEqual({ shape: ['circle', 'rectangle', 'triangle'] });
      expect(predictions.positionErrorsPx).toBeUndefined();
      expect(Object.keys(predictions.samples[0]?.pred ?? {})).toEqual(['shape']);
      expect(Object.keys(await read('confusion.json'))).toEqual(['shape']);

      await fixture.finished(QUEUES.report, reportJobId('stl'));
      const report = JSON.parse(await readFile(fixture.layout.reportFile('stl', 'json'), 'utf8'));
      expect(report.counts).toMatchObject({ trials: 1, completed: 1, failed: 0 });
      expect(report.runs[0].metrics).not.toHaveProperty('colour_acc');
      expect(report.runs[0].metrics).not.toHaveProperty('position_mae_px');
      // What the pages render from (report-view's tests show "–" for these absent figures).
      expect(Object.keys(report.runs[0].confusion)).toEqual(['shape']);
      expect(report.runs[0]).not.toHaveProperty('position');
      expect(Object.keys(report.aggregate.leaderboard[0].confusion)).toEqual(['shape']);
      expect(report.aggregate.leaderboard[0].metrics).not.toHaveProperty('colour_acc');
      expect(report.aggregate.leaderboard[0].metrics.shape_acc.mean).toBe(summary.test.shape_acc);
    },
  );
});
