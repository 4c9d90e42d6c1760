import { describe, expect, it } from 'vitest';
import { parametersWith, specRefusal, yamlWith } from '../test/fixtures.js';
import { parseSweepSpec } from './parse-sweep-spec.js';
import { planSweep } from './plan-sweep.js';

describe('lossWeighting in a sweep', () => {
  it('searches kinds as a choice of objects and a kind’s fields as nested parameters', () => {
    const kinds = planSweep(
      parseSweepSpec(
        yamlWith({
          parameters: parametersWith({
            arch: 'mtl-seed',
            learningRate: 0.001,
            lossWeighting: {
              values: [
                { kind: 'static' },
                { kind: 'uncertainty' },
                { kind: 'dwa', temperature: 2 },
                { kind: 'gradnorm' },
              ],
            },
          }),
        }),
        'kinds.yaml',
      ),
    );
    expect(kinds.trials.map((trial) => trial.config.lossWeighting)).toEqual([
      { kind: 'static' },
      { kind: 'uncertainty' },
      { kind: 'dwa', temperature: 2 },
      { kind: 'gradnorm' },
    ]);
    const dwa = planSweep(
      parseSweepSpec(
        yamlWith({
          parameters: parametersWith({
            arch: 'mtl-seed',
            learningRate: 0.001,
            lossWeighting: { kind: 'dwa', temperature: { values: [1, 4] } },
          }),
        }),
        'dwa.yaml',
      ),
    );
    expect(dwa.trials.map((trial) => trial.config.lossWeighting)).toEqual([
      { kind: 'dwa', temperature: 1 },
      { kind: 'dwa', temperature: 4 },
    ]);
  });

  it('lets gradnorm train an architecture with a shared backbone', () => {
    const plan = planSweep(
      parseSweepSpec(
        yamlWith({ parameters: parametersWith({ arch: 'mtl-seed', lossWeighting: { kind: 'gradnorm' } }) }),
        'gradnorm.yaml',
      ),
    );
    expect(plan.trials[0]?.config.lossWeighting).toEqual({ kind: 'gradnorm' });
  });

  it('keeps the lossWeights shorthand of static weights', () => {
    const plan = planSweep(
      parseSweepSpec(
        yamlWith({
          parameters: parametersWith({ arch: 'mtl-seed', lossWeights: { position: { values: [1, 2] } } }),
        }),
        'shorthand.yaml',
      ),
    );
    expect(plan.trials.map((trial) => trial.config.lossWeights)).toEqual([
      { position: 1 },
      { position: 2 },
      { position: 1 },
      { position: 2 },
    ]);
  });

  it.each([
    [
      'an unknown kind',
      { lossWeighting: { kind: 'focal' } },
      'parameters.lossWeighting.kind',
      /unknown kind; allowed: static, uncertainty, dwa, gradnorm/,
    ],
    [
      'an unknown kind in a choice',
      { lossWeighting: { values: [{ kind: 'dwa' }, { kind: 'pcgrad' }] } },
      'parameters.lossWeighting.values[1]',
      /kind: unknown kind; allowed: static, uncertainty, dwa, gradnorm/,
    ],
    [
      'a temperature of 0',
      { lossWeighting: { kind: 'dwa', temperature: { values: [2, 0] } } },
      'parameters.lossWeighting.temperature.values[1]',
      /must be > 0/,
    ],
    [
      'a negative temperature inside a choice',
      { lossWeighting: { values: [{ kind: 'dwa', temperature: -1 }] } },
      'parameters.lossWeighting.values[0]',
      /temperature: must be > 0/,
    ],
    [
      'a negative static weight',
      { lossWeighting: { kind: 'static', weights: { shape: -0.5 } } },
      'parameters.lossWeighting.weights.shape',
      />=0/,
    ],
    [
      'all-zero static weights',
      { lossWeighting: { value: { kind: 'static', weights: { position: 0, shape: 0, colour: 0 } } } },
      'parameters.lossWeighting.value',
      /weights: all weights are 0/,
    ],
    [
      'all-zero shorthand weights',
      { lossWeights: { value: { position: 0, shape: 0, colour: 0 } } },
      'parameters.lossWeights.value',
      /all weights are 0/,
    ],
    [
      'all-zero static weights written per head',
      { lossWeighting: { kind: 'static', weights: { position: 0, shape: 0, colour: 0 } } },
      'parameters.lossWeighting.weights',
      /all weights are 0, so no head's loss counts; allowed: weights ≥ 0, at least one of position, shape, colour above 0/,
    ],
    [
      'all-zero shorthand weights written per head',
      { lossWeights: { position: 0, shape: 0, colour: { values: [0] } } },
      'parameters.lossWeights',
      /all weights are 0/,
    ],
    [
      'a field the kind does not take',
      { lossWeighting: { kind: 'gradnorm', temperature: 2 } },
      'parameters.lossWeighting.temperature',
      /unknown parameter/,
    ],
    [
      'gradnorm beside an architecture that shares no layer',
      { arch: { values: ['mtl-seed', 'branches-seed'] }, lossWeighting: { kind: 'gradnorm' } },
      'parameters.lossWeighting.kind',
      /gradnorm balances gradients on a layer every head shares, and branches-seed shares none; allowed with branches-seed: static, uncertainty, dwa/,
    ],
    [
      'gradnorm in a choice beside branches-seed',
      { arch: 'branches-seed', lossWeighting: { values: [{ kind: 'dwa' }, { kind: 'gradnorm', alpha: 1 }] } },
      'parameters.lossWeighting.values[1]',
      /branches-seed shares none/,
    ],
  ])('refuses %s, naming the field', (_title, changes, path, message) => {
    const error = specRefusal(yamlWith({ parameters: parametersWith(changes) }));
    const issue = error.issues.find((candidate) => candidate.path === path);
    expect(issue, `issues: ${error.message}`).toBeDefined();
    expect(issue?.message).toMatch(message);
  });
});
