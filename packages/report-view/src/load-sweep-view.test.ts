import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateRuns, confusionMatrix, normaliseRows, regressionMetrics } from '@repo/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SweepNotFoundError } from './errors.js';
import { loadSweepView } from './load-sweep-view.js';
import { reportViewSchema } from './report-view.js';
import { listSweepsFromArtifacts } from './sweep-list.js';
import type { SweepView } from './sweep-view.js';
import { HOSTILE_NAME, type SweepFixture, writeSweepFixture } from './testing/sweep-fixture.js';

let root: string;
let fixture: SweepFixture;
let view: SweepView;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-report-view-'));
  fixture = await writeSweepFixture(root);
  view = await loadSweepView(fixture.layout, fixture.sweepId);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('loadSweepView', () => {
  it('reads the report, the run records and the failures', () => {
    expect(view.name).toBe(HOSTILE_NAME);
    expect(view.state).toBe('completed');
    expect(view.counts).toEqual({
      trials: 4,
      completed: 3,
      stopped: 0,
      failed: 1,
      cancelled: 0,
      pending: 0,
    });
    expect(view.provisional).toBe(false);
    expect(view.failed).toEqual([fixture.failed]);
    expect(view.hyperparameters).toEqual(['learningRate']);
  });

  it('ranks configurations as aggregateRuns does, and runs by their own objective', () => {
    const expected = aggregateRuns(
      fixture.runs.map(({ record }) => ({ source: record.runId, json: record })),
    );
    expect(view.aggregate.leaderboard.map((group) => group.key)).toEqual(
      expected.leaderboard.map((group) => group.key),
    );
    expect(view.aggregate.leaderboard[0]?.metrics.combined).toEqual(
      expected.leaderboard[0]?.metrics.combined,
    );
    const objectives = view.runs.map((run) => run.metrics.combined ?? Number.NaN);
    expect(objectives).toEqual([...objectives].sort((a, b) => a - b));
  });

  it('gives each run its MAE, confusion matrices and predictions from the fixture', () => {
    for (const { trial, heads } of fixture.runs) {
      const run = view.runs.find((r) => r.trialId === trial.trialId);
      const [dx, dy] = trial.offset;
      expect(run?.position?.maePx).toEqual({ x: dx, y: dy, mean: (dx + dy) / 2 });
      expect(run?.position).toEqual(regressionMetrics(heads.position.true, heads.position.pred, 32));
      const shape = confusionMatrix(heads.shape.true, heads.shape.pred, 3);
      expect(run?.confusion.shape?.counts).toEqual(shape);
      expect(run?.confusion.shape?.normalised).toEqual(normaliseRows(shape));
      expect(run?.predictions?.samples).toHaveLength(12);
      // Every sample is off by the same (dx, dy): one histogram bin holds all 12.
      expect(run?.predictions?.errors?.counts.reduce((a, b) => a + b)).toBe(12);
      expect(run?.predictions?.errors?.counts.filter((count) => count > 0)).toEqual([12]);
    }
  });

  it('embeds the 12 test images as PNG data URLs', () => {
    expect(view.samples.imageSize).toBe(32);
    expect(view.samples.images.map((image) => image.index)).toEqual([...Array(12).keys()]);
    const png = Buffer.from(view.samples.images[0]!.src.replace('data:image/png;base64,', ''), 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('reads the stored report view as written, without aggregating the run records again', async () => {
    const own = await writeSweepFixture(join(root, 'stored'));
    const file = own.layout.reportFile(own.sweepId, 'json');
    expect(reportViewSchema.parse(JSON.parse(await readFile(file, 'utf8'))).runs).toHaveLength(3);
    await rm(own.layout.trialDir(own.sweepId, 't000'), { recursive: true });
    const stored = await loadSweepView(own.layout, own.sweepId, { images: false });
    expect(stored.provisional).toBe(false);
    expect(stored.runs.map((run) => run.trialId).sort()).toEqual(['t000', 't001', 't002']);
    expect(stored.aggregate).toEqual(view.aggregate);
  });

  it('builds a provisional view from the run records while no report is written', async () => {
    const own = await writeSweepFixture(join(root, 'running'));
    await rm(own.layout.reportFile(own.sweepId, 'json'));
    await mkdir(own.layout.trialDir(own.sweepId, 't004'), { recursive: true });
    const live = await loadSweepView(own.layout, own.sweepId, { images: false });
    expect(live.provisional).toBe(true);
    expect(live.state).toBe('running');
    expect(live.runs).toHaveLength(3);
    // t003 failed without a run record: with no report, nothing says so; it counts as pending.
    expect(live.pending).toEqual(['t003', 't004']);
    expect(live.aggregate.leaderboard.map((group) => group.key)).toEqual(
      view.aggregate.leaderboard.map((group) => group.key),
    );
  });

  it('reads a version 1 report.json (counts and aggregate only) as hints for a provisional view', async () => {
    const own = await writeSweepFixture(join(root, 'legacy'));
    const file = own.layout.reportFile(own.sweepId, 'json');
    const { aggregate, counts } = JSON.parse(await readFile(file, 'utf8'));
    const legacy = {
      format: 'mtl-sweep-report',
      version: 1,
      sweepId: own.sweepId,
      name: 'an old sweep',
      datasetId: own.datasetId,
      generatedAt: '2026-01-01T00:10:00.000Z',
      counts: { trials: 4, completed: 3, stopped: 0, failed: 1, cancelled: 0, pending: 0 },
      completed: [],
      stopped: [],
      failed: [own.failed],
      cancelled: [],
      pending: [],
      aggregate,
    };
    await writeFile(file, JSON.stringify(legacy));
    const old = await loadSweepView(own.layout, own.sweepId, { images: false });
    expect(old.provisional).toBe(true);
    expect(old.name).toBe('an old sweep');
    expect(old.failed).toEqual([own.failed]);
    expect(old.counts).toEqual(counts);
    expect(old.runs).toHaveLength(3);
  });

  it('names a sweep that has no directory', async () => {
    await expect(loadSweepView(fixture.layout, 'ghost')).rejects.toBeInstanceOf(SweepNotFoundError);
  });
});

describe('listSweepsFromArtifacts', () => {
  it('lists the sweep with its counts and best objective from report.json', async () => {
    const best = Math.min(...view.runs.map((run) => run.metrics.combined ?? Number.NaN));
    expect(await listSweepsFromArtifacts(fixture.layout)).toEqual([
      {
        sweepId: fixture.sweepId,
        name: HOSTILE_NAME,
        state: 'completed',
        trials: 4,
        done: 3,
        failed: 1,
        best: { metric: 'combined', split: 'test', value: best },
      },
    ]);
  });
});
