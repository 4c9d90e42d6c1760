import { describe, expect, it } from 'vitest';
import { aggregateRuns } from './aggregate.js';
import { runRecordJson } from './testing/run-record-fixture.js';

/** Two architectures × seeds, position error per seed given; parameters as the models have them. */
function study(errors: { mtl: number[]; branches: number[] }) {
  const inputs = (['mtl', 'branches'] as const).flatMap((arch) =>
    errors[arch].map((errorPx, seed) => {
      const json = runRecordJson({
        runId: `${arch}-${seed}`,
        config: { arch: `${arch}-seed`, learningRate: 0.001, seed },
        errorPx,
      });
      return {
        source: `${arch}-${seed}.json`,
        json: { ...json, parameters: arch === 'mtl' ? 191_747 : 232_000 },
      };
    }),
  );
  return aggregateRuns(inputs);
}

describe('analyseStudy through aggregateRuns', () => {
  it('two architectures built to differ: the position verdict names the better one with its interval', () => {
    const aggregate = study({ mtl: [2.1, 2.3, 1.9, 2.2], branches: [3.0, 3.4, 2.9, 3.1] });
    expect(aggregate.parameters).toEqual({ varying: ['arch'], constant: { learningRate: 0.001 } });
    const leader = aggregate.leaderboard[0]!;
    expect(leader.config.arch).toBe('mtl-seed');
    expect(leader.runs.map((run) => run.seed)).toEqual([0, 1, 2, 3]);
    const rows = aggregate.study.verdicts.rows;
    expect(rows.map((row) => row.head)).toEqual(['position', 'shape', 'colour', 'objective']);
    const position = rows[0]!;
    expect(position.comparison.kind).toBe('paired');
    expect(position.comparison.meanDiff).toBeCloseTo(-0.975, 12);
    expect(position.comparison.ci95![1]).toBeLessThan(0);
    expect(position.verdict).toEqual({
      kind: 'a-better',
      text: 'arch mtl-seed better than arch branches-seed',
    });
    // Both classify every test image right on every seed: p = 1, nothing to tell apart.
    expect(rows[1]!.verdict.kind).toBe('no-difference');
    expect(aggregate.study.verdicts.tests).toBe(4);
    const summary = aggregate.study.summaries[leader.key]!.position_mae_px!;
    expect(summary.n).toBe(4);
    expect(summary.ci95![0]).toBeLessThan(summary.mean);
    expect(aggregate.study.summaries[leader.key]!.parameters!.mean).toBe(191_747);
    // mtl is smaller and more accurate: it alone is on every front.
    expect(aggregate.study.pareto.front).toEqual([leader.key]);
    expect(aggregate.study.pareto.objectives).toEqual([
      'position_mae_px',
      'shape_error',
      'colour_error',
      'parameters',
      'duration_s',
    ]);
    expect(
      aggregate.study.pareto.charts.find((c) => c.x === 'parameters' && c.y === 'position_mae_px')!.front,
    ).toEqual([leader.key]);
    expect(aggregate.study.importance.parameters[0]!.parameter).toBe('arch');
    expect(aggregate.study.importance.parameters[0]!.importance).toBeGreaterThan(0.8);
  });

  it('two architectures built not to differ: no detectable difference at n = 3', () => {
    const aggregate = study({ mtl: [2.1, 3.0, 2.4], branches: [2.5, 2.6, 2.5] });
    const position = aggregate.study.verdicts.rows.find((row) => row.head === 'position')!;
    expect(position.verdict).toEqual({ kind: 'no-difference', text: 'no detectable difference at n = 3' });
    expect(position.comparison.ci95![0]).toBeLessThan(0);
    expect(position.comparison.ci95![1]).toBeGreaterThan(0);
  });

  it('two seeds each: the sample is too small for a verdict', () => {
    const aggregate = study({ mtl: [2.0, 2.1], branches: [4.0, 4.1] });
    const position = aggregate.study.verdicts.rows.find((row) => row.head === 'position')!;
    expect(position.verdict.kind).toBe('too-small');
    expect(position.comparison.kind).toBe('welch');
  });
});
