import { describe, expect, it } from 'vitest';
import { parametersWith, specRefusal, yamlWith } from '../test/fixtures.js';
import { parseSweepSpec } from './parse-sweep-spec.js';
import { planSweep } from './plan-sweep.js';

const baselines = { values: ['mtl-seed', 'stl-position', 'stl-shape', 'stl-colour'] };

const refusal = (changes: Record<string, unknown>) => specRefusal(yamlWith(changes));

describe('single-task baselines in a sweep', () => {
  it('plans stl-* trials beside mtl-seed under val_combined (summed over the heads each run has)', () => {
    const plan = planSweep(parseSweepSpec(yamlWith({ parameters: parametersWith({ arch: baselines }) })));
    expect(new Set(plan.trials.map((trial) => trial.config.arch))).toEqual(new Set(baselines.values));
    expect(plan.objective.metric).toBe('val_combined');
  });

  it('ignores the weights of heads a baseline lacks: stl-shape beside a zero position weight plans', () => {
    const spec = parseSweepSpec(
      yamlWith({
        parameters: parametersWith({ arch: 'stl-shape', lossWeights: { position: 0, shape: 2, colour: 1 } }),
      }),
    );
    expect(planSweep(spec).trials[0]?.config).toMatchObject({ arch: 'stl-shape', lossWeights: { shape: 2 } });
  });

  it('takes an objective of the one head every architecture of the sweep has', () => {
    const spec = parseSweepSpec(
      yamlWith({
        objective: { metric: 'val_shape_acc' },
        parameters: parametersWith({ arch: { values: ['mtl-seed', 'stl-shape'] } }),
      }),
    );
    expect(spec.objective).toEqual({ metric: 'val_shape_acc', direction: 'maximize' });
  });

  it.each([
    [
      'an objective of a head a baseline lacks',
      { objective: { metric: 'val_colour_acc' }, parameters: parametersWith({ arch: 'stl-shape' }) },
      'objective.metric',
      /val_colour_acc is a metric of the colour head, which stl-shape lacks \(it has shape\); allowed: val_loss, val_combined/,
    ],
    [
      "a scheduler's own metric of a head a baseline lacks",
      {
        scheduler: { kind: 'median', metric: 'val_position_mae' },
        parameters: parametersWith({ arch: { values: ['mtl-seed', 'stl-colour'] } }),
      },
      'scheduler.metric',
      /val_position_mae is a metric of the position head, which stl-colour lacks/,
    ],
    [
      'a weighting that balances heads beside a baseline',
      { parameters: parametersWith({ arch: baselines, lossWeighting: { kind: 'uncertainty' } }) },
      'parameters.lossWeighting.kind',
      /uncertainty balances the heads' losses against each other, and stl-position has only position; allowed with stl-position: static/,
    ],
    [
      'fine-tuning beside a baseline',
      { parameters: parametersWith({ arch: baselines, fineTune: { value: { epochs: 1 } } }) },
      'parameters.fineTune',
      /stl-position has only position: fine-tuning retrains the position head of a three-head model/,
    ],
    [
      "a zero weight on a baseline's head (shorthand)",
      { parameters: parametersWith({ arch: baselines, lossWeights: { shape: { values: [1, 0] } } }) },
      'parameters.lossWeights.shape.values[1]',
      /stl-shape trains only shape, whose weight is 0: nothing would be learned/,
    ],
    [
      "a zero weight on a baseline's head (in a weighting's value)",
      {
        parameters: parametersWith({
          arch: 'stl-colour',
          lossWeighting: { value: { kind: 'static', weights: { position: 1, colour: 0 } } },
        }),
      },
      'parameters.lossWeighting.value',
      /stl-colour trains only colour, whose weight is 0/,
    ],
  ])('refuses %s, naming the field', (_title, changes, path, message) => {
    const error = refusal(changes);
    expect(error.code).toBe('ERR_SWEEP_SPEC');
    expect(error.issues).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});
