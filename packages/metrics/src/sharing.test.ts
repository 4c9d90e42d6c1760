import { describe, expect, it } from 'vitest';
import { compareSamples } from './compare-samples.js';
import { holmAdjust } from './holm.js';
import { analyseSharing } from './sharing.js';
import type { StudyGroup } from './study-group.js';

type Head = 'position' | 'shape' | 'colour';
const TEST_METRIC = { position: 'position_mae_px', shape: 'shape_acc', colour: 'colour_acc' } as const;

/** A configuration with one run per seed: each head's test figure and validation loss per seed. */
function group(
  key: string,
  arch: string,
  heads: Partial<Record<Head, { test: number[]; val: number }>>,
  costs: { parameters: number; seconds: number[] },
): StudyGroup {
  const seeds = costs.seconds.length;
  return {
    key,
    config: { arch },
    runs: Array.from({ length: seeds }, (_, seed) => {
      const metrics: Record<string, number> = {
        parameters: costs.parameters,
        duration_s: costs.seconds[seed]!,
      };
      const validation: Partial<Record<Head, number>> = {};
      for (const [head, figures] of Object.entries(heads) as [Head, { test: number[]; val: number }][]) {
        metrics[TEST_METRIC[head]] = figures.test[seed]!;
        validation[head] = figures.val;
      }
      return { seed, metrics, validation };
    }),
  };
}

const mtl = (key: string, val: number, position: number[], shape: number[], colour: number[]) =>
  group(
    key,
    'mtl-seed',
    {
      position: { test: position, val },
      shape: { test: shape, val },
      colour: { test: colour, val },
    },
    { parameters: 191_747, seconds: [300, 310, 320] },
  );

const stlPosition = group(
  'stl-position',
  'stl-position',
  { position: { test: [6.1, 6.4, 6.0], val: 0.05 } },
  { parameters: 191_182, seconds: [200, 210, 220] },
);
const stlShape = group(
  'stl-shape',
  'stl-shape',
  { shape: { test: [0.95, 0.96, 0.94], val: 0.1 } },
  { parameters: 155_155, seconds: [150, 150, 150] },
);
const stlColour = group(
  'stl-colour',
  'stl-colour',
  { colour: { test: [0.99, 0.97, 0.98], val: 0.1 } },
  { parameters: 155_170, seconds: [100, 110, 120] },
);

describe('analyseSharing', () => {
  // The leaderboard's leader has the better test figures but the worse validation losses: the
  // comparison must take the other one, because choosing on test figures would flatter sharing.
  const testLeader = mtl('mtl-a', 0.9, [3.0, 3.1, 3.2], [0.99, 1, 0.99], [1, 1, 1]);
  const validationPick = mtl('mtl-b', 0.2, [5.0, 5.2, 4.9], [0.97, 0.98, 0.95], [0.97, 0.99, 0.98]);
  const groups = [testLeader, validationPick, stlPosition, stlShape, stlColour];
  const analysis = analyseSharing(groups)!;

  it('compares, per head, the configurations with the lowest validation loss, never the test leader', () => {
    expect(analysis.selection).toBe('validation-loss');
    expect(analysis.rows.map((row) => [row.head, row.mtl, row.stl])).toEqual([
      ['position', 'mtl-b', 'stl-position'],
      ['shape', 'mtl-b', 'stl-shape'],
      ['colour', 'mtl-b', 'stl-colour'],
    ]);
    expect(analysis.missing).toEqual([]);
  });

  it('pairs by seed on the test metric and Holm-corrects over the heads', () => {
    const position = analysis.rows[0]!;
    expect(position.comparison).toEqual(
      compareSamples(
        [5.0, 5.2, 4.9].map((value, seed) => ({ seed, value })),
        [6.1, 6.4, 6.0].map((value, seed) => ({ seed, value })),
      ),
    );
    expect(position.comparison.kind).toBe('paired');
    expect(position.comparison.meanDiff).toBeCloseTo(-1.1333333, 6);
    // SciPy: stats.ttest_rel([5.0, 5.2, 4.9], [6.1, 6.4, 6.0]).pvalue
    expect(position.comparison.pValue!).toBeCloseTo(0.0008639310468, 10);
    expect(analysis.rows.map((row) => row.adjustedP)).toEqual(
      holmAdjust(analysis.rows.map((row) => row.comparison.pValue)),
    );
  });

  it('reads each head: lower error helps, no detectable difference when seeds disagree', () => {
    // Position: ~1.1 px lower on each seed (paired t p ≈ 0.0009, Holm over 3 still below 0.05).
    expect(analysis.rows[0]!.verdict).toEqual({ kind: 'helps', text: 'sharing helps' });
    // Shape and colour: differences that change sign between seeds.
    expect(analysis.rows[1]!.verdict).toEqual({
      kind: 'no-difference',
      text: 'no detectable difference at n = 3',
    });
    expect(analysis.rows[2]!.verdict.kind).toBe('no-difference');
  });

  it('says hurts when the single-task model is better on that head', () => {
    const worse = mtl('mtl', 0.2, [8.0, 8.3, 8.1], [0.97, 0.98, 0.95], [0.97, 0.99, 0.98]);
    const result = analyseSharing([worse, stlPosition])!;
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]!.verdict).toEqual({ kind: 'hurts', text: 'sharing hurts (negative transfer)' });
    expect(result.missing).toEqual(['shape', 'colour']);
  });

  it('with fewer than three runs a side the verdict says the sample is too small', () => {
    const one = (g: StudyGroup): StudyGroup => ({ ...g, runs: g.runs.slice(0, 2) });
    const result = analyseSharing([one(validationPick), one(stlPosition)])!;
    expect(result.rows[0]!.verdict.kind).toBe('too-small');
  });

  it('sets one MTL model against the three single-task models together', () => {
    expect(analysis.cost.mtl).toBe('mtl-b');
    expect(analysis.cost.stl).toEqual(['stl-position', 'stl-shape', 'stl-colour']);
    expect(analysis.cost.heads).toEqual(['position', 'shape', 'colour']);
    expect(analysis.cost.parameters).toEqual({ mtl: 191_747, stl: 191_182 + 155_155 + 155_170 });
    expect(analysis.cost.seconds.mtl!.mean).toBeCloseTo(310, 9);
    expect(analysis.cost.seconds.mtl!.n).toBe(3);
    expect(analysis.cost.seconds.stl).toBeCloseTo(210 + 150 + 110, 9);
  });

  it('is null without a shared model or without a baseline; branches-seed shares nothing', () => {
    expect(analyseSharing([testLeader, validationPick])).toBeNull();
    expect(analyseSharing([stlPosition, stlShape])).toBeNull();
    const branches = { ...validationPick, key: 'branches', config: { arch: 'branches-seed' } };
    expect(analyseSharing([branches, stlPosition])).toBeNull();
    expect(analyseSharing([branches, validationPick, stlShape])!.rows[0]!.mtl).toBe('mtl-b');
  });

  it('without validation losses falls back to leaderboard order', () => {
    const strip = (g: StudyGroup): StudyGroup => ({
      ...g,
      runs: g.runs.map(({ seed, metrics }) => ({ ...(seed === undefined ? {} : { seed }), metrics })),
    });
    const result = analyseSharing([strip(testLeader), strip(validationPick), strip(stlShape)])!;
    expect(result.rows[0]!.mtl).toBe('mtl-a');
  });
});
