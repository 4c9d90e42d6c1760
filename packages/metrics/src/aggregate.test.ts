import { describe, expect, it } from 'vitest';
import { aggregateRuns, type RunInput } from './aggregate.js';
import { AggregationError, MetricsInputError } from './errors.js';
import { objectiveFor } from './objective.js';
import { runRecordJson } from './testing/run-record-fixture.js';

const configA = (seed: number) => ({ arch: 'mtl-seed', learningRate: 0.001, seed });
// Same hyperparameters as A in another key order: must land in A's group.
const configAReordered = (seed: number) => ({ seed, learningRate: 0.001, arch: 'mtl-seed' });
const configB = (seed: number) => ({ arch: 'mtl-seed', learningRate: 0.01, seed });

function input(source: string, json: unknown): RunInput {
  return { source, json };
}

const inputs: RunInput[] = [
  input('a1.json', runRecordJson({ runId: 'a1', config: configA(1), errorPx: 2 })),
  input('a2.json', runRecordJson({ runId: 'a2', config: configAReordered(2), errorPx: 4 })),
  input('a3.json', runRecordJson({ runId: 'a3', config: configA(3), errorPx: 6 })),
  // B: better positions, one shape of four wrong (shape_acc 0.75)
  input('b1.json', runRecordJson({ runId: 'b1', config: configB(1), errorPx: 1, shapePred: [0, 1, 2, 1] })),
  input('b2.json', runRecordJson({ runId: 'b2', config: configB(2), errorPx: 3 })),
  input('f1.json', runRecordJson({ runId: 'f1', config: configB(3), status: 'failed' })),
  input('r1.json', runRecordJson({ runId: 'r1', config: configB(4), status: 'running' })),
  input('s1.json', runRecordJson({ runId: 's1', config: configB(5), status: 'stopped-early-by-scheduler' })),
  input('bad.json', { ...runRecordJson({ runId: 'bad' }), test: undefined }),
  input('dup.json', runRecordJson({ runId: 'a1', config: configA(9), errorPx: 100 })),
];

describe('aggregateRuns', () => {
  const aggregate = aggregateRuns(inputs);

  it('groups completed runs by config without its seed, with mean ± sample std and count', () => {
    expect(aggregate.leaderboard.map((group) => [group.config, group.count])).toEqual([
      [{ arch: 'mtl-seed', learningRate: 0.001 }, 3],
      [{ arch: 'mtl-seed', learningRate: 0.01 }, 2],
    ]);
    const [a, b] = aggregate.leaderboard;
    expect(a!.runs.map((run) => run.source)).toEqual(['a1.json', 'a2.json', 'a3.json']);
    // A: 2, 4, 6 px → mean 4, std √((4 + 0 + 4) / 2) = 2
    expect(a!.metrics.position_mae_px).toEqual({ mean: 4, std: 2, count: 3 });
    // B: 1, 3 px → mean 2, std √2; shape accuracy 0.75 and 1
    expect(b!.metrics.position_mae_px!.mean).toBe(2);
    expect(b!.metrics.position_mae_px!.std).toBeCloseTo(Math.SQRT2, 12);
    expect(b!.metrics.shape_acc).toEqual({
      mean: 0.875,
      std: expect.closeTo(Math.sqrt(0.03125), 12),
      count: 2,
    });
    expect(a!.metrics.epochs).toEqual({ mean: 2, std: 0, count: 3 });
  });

  it('ranks by the combined objective by default', () => {
    // combined = position_mae_px + 100 · ((1 − shape_acc) + (1 − colour_acc)):
    // A: 2, 4, 6 → 4; B: b1 = 1 + 100 · 0.25 = 26, b2 = 3 → 14.5, so A leads despite B's better positions
    expect(aggregate.objective).toEqual({ metric: 'combined', direction: 'minimize' });
    expect(aggregate.leaderboard.map((group) => group.metrics.combined!.mean)).toEqual([4, 14.5]);
    expect(aggregate.leaderboard[0]!.key).toBe('{"arch":"mtl-seed","learningRate":0.001}');
  });

  it('names the best run per objective', () => {
    expect(aggregate.best.map(({ objective, runId, value }) => [objective.metric, runId, value])).toEqual([
      ['combined', 'a1', 2],
      ['position_mae_px', 'b1', 1],
      ['shape_acc', 'a1', 1],
      ['colour_acc', 'a1', 1],
    ]);
  });

  it('sums and row-normalises the confusion matrices of a group', () => {
    const b = aggregate.leaderboard.find((group) => group.count === 2)!;
    // per run: circle ×2, rectangle, triangle; b1 predicts its second circle as rectangle
    expect(b.confusion.shape?.summed).toEqual([
      [3, 1, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]);
    expect(b.confusion.shape?.normalised[0]).toEqual([0.75, 0.25, 0]);
    expect(b.confusion.colour?.summed[5]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('counts and lists failed, unfinished, invalid and repeated runs without averaging them', () => {
    expect(aggregate.counts).toEqual({
      total: 10,
      completed: 5,
      failed: 1,
      stopped: 1,
      running: 1,
      invalid: 2,
    });
    expect(aggregate.failed).toEqual([
      { runId: 'f1', source: 'f1.json', status: 'failed', detail: 'out of memory' },
    ]);
    expect(aggregate.unfinished.map((run) => [run.runId, run.status, run.detail])).toEqual([
      ['r1', 'running', undefined],
      ['s1', 'stopped-early-by-scheduler', 'pruned at epoch 2'],
    ]);
    expect(aggregate.invalid.map((run) => run.source)).toEqual(['bad.json', 'dup.json']);
    expect(aggregate.invalid[1]!.issues).toEqual(['runId: a1 repeats the run of a1.json']);
  });

  it('ranks by a chosen objective in its direction', () => {
    const byShape = aggregateRuns(inputs, { objective: objectiveFor('shape_acc') });
    expect(byShape.objective.direction).toBe('maximize');
    expect(byShape.leaderboard.map((group) => group.metrics.shape_acc!.mean)).toEqual([1, 0.875]);
    const byPosition = aggregateRuns(inputs, { objective: objectiveFor('position_mae_px') });
    expect(byPosition.leaderboard.map((group) => group.metrics.position_mae_px!.mean)).toEqual([2, 4]);
  });

  it('refuses an unknown objective and labels that differ within a group', () => {
    expect(() => aggregateRuns(inputs, { objective: objectiveFor('nope') })).toThrow(MetricsInputError);
    const other = JSON.parse(JSON.stringify(runRecordJson({ runId: 'x', config: configA(7) })));
    other.test.shape.labels = ['circle', 'square', 'triangle'];
    other.test.shape.perClass[1].label = 'square';
    expect(() => aggregateRuns([...inputs, input('x.json', other)])).toThrow(AggregationError);
    expect(() => aggregateRuns([...inputs, input('x.json', other)])).toThrow(/^x\.json: shape labels/);
  });

  it('gives a single run a null std and no runs an empty leaderboard', () => {
    const single = aggregateRuns([inputs[0]!]);
    expect(single.leaderboard[0]!.metrics.position_mae_px).toEqual({ mean: 2, std: null, count: 1 });
    expect(aggregateRuns([]).leaderboard).toEqual([]);
  });
});
