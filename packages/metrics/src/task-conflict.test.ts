import { describe, expect, it } from 'vitest';
import type { StudyGroup } from './study-group.js';
import { summariseTaskConflict } from './task-conflict.js';

const run = (seed: number, series: Record<string, number[]>) => ({ seed, metrics: {}, taskConflict: series });

describe('summariseTaskConflict', () => {
  const groups: StudyGroup[] = [
    {
      key: 'mtl',
      config: { arch: 'mtl-seed' },
      runs: [
        run(0, { 'shape-colour': [0.5, 0.5], 'position-shape': [-0.2, 0, 0.2] }),
        run(1, { 'shape-colour': [0.3, 0.1], 'position-shape': [-0.4, -0.1, 0.2] }),
      ],
    },
    { key: 'stl', config: { arch: 'stl-shape' }, runs: [run(0, {})] },
  ];
  const rows = summariseTaskConflict(groups);

  it('gives a row per configuration and pair (sorted), none for a run without shared layers', () => {
    expect(rows.map((row) => [row.key, row.pair])).toEqual([
      ['mtl', 'position-shape'],
      ['mtl', 'shape-colour'],
    ]);
  });

  it('averages each run over its epochs, then the runs, with the interval of the runs', () => {
    const [positionShape, shapeColour] = rows;
    // Run means: 0 and −0.1; last epochs: 0.2 and 0.2.
    expect(positionShape!.mean.mean).toBeCloseTo(-0.05, 12);
    expect(positionShape!.mean.n).toBe(2);
    // SciPy: stats.t.interval(0.95, 1, loc=-0.05, scale=stats.sem([0, -0.1]))
    expect(positionShape!.mean.ci95![0]).toBeCloseTo(-0.685310236, 6);
    expect(positionShape!.mean.ci95![1]).toBeCloseTo(0.585310236, 6);
    expect(positionShape!.last.mean).toBeCloseTo(0.2, 12);
    // 3 of the 6 epochs below 0 (−0.2, −0.4, −0.1).
    expect(positionShape!.negativeShare).toBeCloseTo(0.5, 12);
    expect(shapeColour!.mean.mean).toBeCloseTo(0.35, 12);
    expect(shapeColour!.negativeShare).toBe(0);
  });
});
