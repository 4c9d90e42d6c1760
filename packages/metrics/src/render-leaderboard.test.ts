import { describe, expect, it } from 'vitest';
import { aggregateRuns } from './aggregate.js';
import { renderLeaderboard } from './render-leaderboard.js';
import { runRecordJson } from './testing/run-record-fixture.js';

const aggregate = aggregateRuns([
  { source: 'a1.json', json: runRecordJson({ runId: 'a1', errorPx: 2 }) },
  {
    source: 'a2.json',
    json: runRecordJson({
      runId: 'a2',
      errorPx: 4,
      config: { arch: 'mtl-seed', learningRate: 0.001, seed: 2 },
    }),
  },
  {
    source: 'b1.json',
    json: runRecordJson({
      runId: 'b1',
      errorPx: 1,
      shapePred: [0, 1, 2, 1],
      config: { learningRate: 0.01, arch: 'branches-seed' },
    }),
  },
  { source: 'f1.json', json: runRecordJson({ runId: 'f1', status: 'failed' }) },
  { source: 'r1.json', json: runRecordJson({ runId: 'r1', status: 'running' }) },
  { source: 'bad.json', json: { ...runRecordJson({ runId: 'x' }), backend: 3 } },
]);

describe('renderLeaderboard', () => {
  it('prints groups best first with mean ± std, then best runs and every run left out', () => {
    expect(renderLeaderboard(aggregate)).toBe(
      [
        '#  config                                runs  combined (min)  position_mae_px    shape_acc %   colour_acc %',
        '-  ------------------------------------  ----  --------------  ---------------  -------------  -------------',
        '1  arch=mtl-seed learningRate=0.001         2     3.00 ± 1.41      3.00 ± 1.41  100.00 ± 0.00  100.00 ± 0.00',
        '2  arch=branches-seed learningRate=0.01     1           26.00             1.00          75.00         100.00',
        '',
        'runs: 6 · completed 3 · failed 1 · stopped by scheduler 0 · running 1 · invalid 1',
        'best combined: a1 = 2.00 (a1.json)',
        'best position_mae_px: b1 = 1.00 (b1.json)',
        'best shape_acc: a1 = 100.00 % (a1.json)',
        'best colour_acc: a1 = 100.00 % (a1.json)',
        'failed: f1 (f1.json): out of memory',
        'running: r1 (r1.json)',
        'invalid: bad.json: backend: Invalid input: expected string, received number',
      ].join('\n'),
    );
  });

  it('limits the rows and picks the metric columns', () => {
    const lines = renderLeaderboard(aggregate, { limit: 1, metrics: ['position_euclid_px_p90'] }).split('\n');
    expect(lines[0]).toBe(
      '#  config                            runs  combined (min)  position_euclid_px_p90',
    );
    // Euclidean p90 of a1, a2: 2√2 and 4√2 → mean 3√2 ≈ 4.24, sample std √2 · √2 = 2
    expect(lines[2]).toBe(
      '1  arch=mtl-seed learningRate=0.001     2     3.00 ± 1.41             4.24 ± 2.00',
    );
    expect(lines[3]).toBe('');
  });
});
