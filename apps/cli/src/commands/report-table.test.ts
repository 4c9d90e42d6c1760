import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateHeads } from '@repo/metrics';
import { buildReportView, loadReport, summariseReportView } from '@repo/report-view';
import { writeStudyFixture, writeSweepFixture } from '@repo/report-view/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReportTable } from './report-table.js';

let root: string | undefined;
afterAll(() => (root ? rm(root, { recursive: true, force: true }) : undefined));

describe('renderReportTable', () => {
  it('shows "–" for the heads a single-task configuration lacks and prints no matrix it has not got', async () => {
    root = await mkdtemp(join(tmpdir(), 'mtl-report-table-'));
    const fixture = await writeSweepFixture(root);
    // A run with misclassified shapes, and the position-only baseline on its positions: its combined
    // is lower (one term), yet the three-head model ranks first (a one-head combined is not comparable).
    const { record: full, heads } = fixture.runs.find((r) => (r.record.test.shape?.accuracy ?? 1) < 1)!;
    const stl = structuredClone(full);
    stl.runId = 'stl-run';
    stl.config = { ...stl.config, arch: 'stl-position' };
    stl.test = evaluateHeads({ imageSize: heads.imageSize, position: heads.position });
    const summaryOf = (runs: { trialId: string; record: typeof full }[]) =>
      summariseReportView(
        buildReportView({
          sweepId: 's',
          runs: runs.map((run) => ({ ...run, source: `${run.trialId}/run.json` })),
        }),
      ).summary;
    const summary = summaryOf([
      { trialId: 'mtl', record: full },
      { trialId: 'stl', record: stl },
    ]);
    expect(summary.leaderboard[1]?.stats.combined?.mean).toBeLessThan(
      summary.leaderboard[0]!.stats.combined!.mean,
    );
    const text = renderReportTable(summary);
    expect(text).not.toContain('NaN');
    const row = text.split('\n').find((line) => /^2 +stl-position /.test(line));
    // combined, position MAE, then shape and colour accuracy absent, then training time.
    expect(row?.split(/ {2,}/).slice(2)).toEqual([
      '1',
      expect.any(String),
      expect.any(String),
      '–',
      '–',
      '60.00',
    ]);
    expect(text).toMatch(/^1 +mtl-seed .* \d+\.\d{2} % +100\.00 %/m);
    expect(text).toContain('shape, best configuration (');
    // A best configuration with no classification head: no matrix is printed for it.
    expect(renderReportTable(summaryOf([{ trialId: 'stl', record: stl }]))).not.toContain(
      'best configuration (',
    );
  });

  it('opens with "Does sharing help?" when the sweep has single-task baselines', async () => {
    root ??= await mkdtemp(join(tmpdir(), 'mtl-report-table-'));
    const fixture = await writeStudyFixture(root, 'sharing', { singleTask: true });
    const text = renderReportTable((await loadReport(fixture.layout, fixture.sweepId)).summary);
    const lines = text.split('\n');
    const headline = lines.findIndex((line) =>
      line.startsWith('Does sharing help? Sharing helps on position and colour'),
    );
    expect(headline).toBeGreaterThan(0);
    expect(headline).toBeLessThan(lines.findIndex((line) => line.startsWith('verdicts (')));
    expect(text).toContain('have 501,507 together (2.62× the shared model)');
    const position = lines.find((line) => line.startsWith('position (position MAE (px)'));
    expect(position).toMatch(
      /arch mtl-seed .* arch stl-position .* -1\.28 \[-1\.34, -1\.21\] .* sharing helps$/,
    );
    // Task conflict of the one configuration that records it, per pair.
    expect(text).toMatch(
      /^#\d+ arch mtl-seed +position · shape +0\.010 \[-0\.015, 0\.035\] +0\.110 \[0\.085, 0\.135\] +33 %$/m,
    );
  });
});
