import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSweepView } from './load-sweep-view.js';
import { renderRunDetail } from './render-run-detail.js';
import { summariseReportView } from './report-summary.js';
import type { SweepView } from './sweep-view.js';
import { writeSweepFixture } from './testing/sweep-fixture.js';

let root: string;
let view: SweepView;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-run-detail-'));
  const fixture = await writeSweepFixture(root);
  view = await loadSweepView(fixture.layout, fixture.sweepId);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('renderRunDetail', () => {
  it('draws the loss weights per head and the task conflict per pair when the history has them, and only then', () => {
    const { summary } = summariseReportView(view);
    const run = view.runs[0]!;
    expect(renderRunDetail(run, summary, view.samples)).not.toContain('data-weights');
    expect(renderRunDetail(run, summary, view.samples)).not.toContain('data-conflict');
    const weighted = {
      ...run,
      history: run.history.map((entry, i) => ({
        ...entry,
        lossWeights: { position: 1 + i / 10, shape: 1, colour: 1 - i / 10 },
        taskConflict: { 'position-shape': -0.2, 'position-colour': 0.1, 'shape-colour': 0.4 },
      })),
    };
    const html = renderRunDetail(weighted, summary, view.samples);
    expect(html).toContain('<canvas data-weights>');
    expect(html).toContain('<canvas data-conflict>');
    // The chart reads its values from the run's JSON beside it.
    const data = JSON.parse(
      html.match(/<script type="application\/json" class="run-data">(.*?)<\/script>/)![1]!,
    );
    expect(data.history[1].lossWeights).toEqual({ position: 1.1, shape: 1, colour: 0.9 });
  });

  it('an stl-position run (no classification head) draws its position curve, errors and dots, and no matrix', () => {
    const { summary } = summariseReportView(view);
    const run = view.runs[0]!;
    const { predictions } = run;
    const positionOnly = {
      ...run,
      confusion: {},
      ...(predictions
        ? {
            predictions: {
              ...predictions,
              samples: predictions.samples.map(({ index, true: t, pred: p }) => ({
                index,
                true: { x: t.x, y: t.y },
                pred: { x: p.x, y: p.y },
              })),
            },
          }
        : {}),
    };
    const html = renderRunDetail(positionOnly, summary, view.samples);
    expect(html).toContain('No classification head: no confusion matrix.');
    expect(html).not.toContain('data-head=');
    expect(html.match(/data-curve="(\w+)"/g)).toEqual(['data-curve="position"']);
    expect(html).toContain('<canvas data-errors>');
    expect(html).toContain('class="true-dot"');
    // No label of an absent head, not even a placeholder.
    expect(html).not.toMatch(/true: |pred: |#\d|undefined/);
    expect(html).toMatch(/<figcaption class="right">error [\d.]+ px<\/figcaption>/);
  });
});
