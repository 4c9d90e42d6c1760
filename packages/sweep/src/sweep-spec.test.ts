import { describe, expect, it } from 'vitest';
import { baseFile, parametersWith, specRefusal, yamlWith } from '../test/fixtures.js';
import { SweepSpecError } from './errors.js';
import { loadSweepSpec, parseSweepSpec } from './parse-sweep-spec.js';
import { validateSweepSpec } from './sweep-spec.js';

const examples = new URL('../../../examples/', import.meta.url);

describe('parseSweepSpec: good files', () => {
  it.each(['seed.yaml', 'quick.yaml', 'seed-quick.yaml'])('examples/%s validates', async (name) => {
    const spec = await loadSweepSpec(new URL(name, examples).pathname);
    expect(spec.parameters.find((p) => p.name === 'arch')).toBeDefined();
  });

  it('reads the study protocol from examples/seed.yaml', async () => {
    const spec = await loadSweepSpec(new URL('seed.yaml', examples).pathname);
    expect(spec.dataset).toMatchObject({ samples: 2500, imageSize: 128 });
    expect(spec.seeds).toEqual([0, 1, 2]);
    expect(spec.search).toEqual({ kind: 'grid' });
    expect(spec.parameters).toContainEqual({
      name: 'arch',
      distribution: { kind: 'choice', values: ['mtl-seed', 'branches-seed'] },
    });
    expect(spec.parameters).toContainEqual({
      name: 'batchSize',
      distribution: { kind: 'constant', value: 16 },
    });
    expect(spec.parameters).toContainEqual({
      name: 'earlyStopping.patience',
      distribution: { kind: 'constant', value: 6 },
    });
  });

  it('fills defaults and reads every distribution kind, shorthands and nested groups', () => {
    const spec = parseSweepSpec(
      yamlWith({
        search: { kind: 'tpe', trials: 20 },
        seeds: [11, 12],
        scheduler: 'median',
        parameters: {
          arch: 'mtl-seed',
          learningRate: { distribution: 'log-uniform', min: 1e-4, max: 1e-2 },
          dropout: { distribution: 'uniform', min: 0, max: 1 },
          epochs: { distribution: 'int-uniform', min: 2, max: 6 },
          batchSize: { distribution: 'choice', values: [16, 32] },
          widthMultiplier: { value: 0.5 },
          lossWeights: { position: { values: [1, 2] }, shape: 1 },
          fineTune: { values: [false, true] },
        },
      }),
    );
    expect(spec.search).toEqual({
      kind: 'tpe',
      trials: 20,
      seed: 0,
      startup: 10,
      candidates: 24,
      gamma: 0.25,
    });
    expect(spec.objective).toEqual({ metric: 'val_combined', direction: 'minimize' });
    expect(spec.seeds).toEqual([11, 12]);
    expect(spec.scheduler).toEqual({
      kind: 'median',
      metric: 'val_combined',
      direction: 'minimize',
      gracePeriod: 1,
      minTrials: 3,
    });
    expect(spec.parameters.map((p) => [p.name, p.distribution.kind])).toEqual([
      ['arch', 'constant'],
      ['learningRate', 'log-uniform'],
      ['dropout', 'uniform'],
      ['epochs', 'int-uniform'],
      ['batchSize', 'choice'],
      ['widthMultiplier', 'constant'],
      ['lossWeights.position', 'choice'],
      ['lossWeights.shape', 'constant'],
      ['fineTune', 'choice'],
    ]);
  });

  it('defaults: one seed (0), no scheduler; asha rungs from gracePeriod 1 and η 3', () => {
    const spec = parseSweepSpec(yamlWith({ scheduler: { kind: 'asha' } }));
    expect(spec.seeds).toEqual([0]);
    expect(spec.scheduler).toEqual({
      kind: 'asha',
      metric: 'val_combined',
      direction: 'minimize',
      reductionFactor: 3,
      gracePeriod: 1,
    });
    expect(parseSweepSpec(yamlWith({})).scheduler).toEqual({ kind: 'none' });
  });

  it('one objective: its direction defaults by the metric; a scheduler follows it unless told otherwise', () => {
    const accuracy = parseSweepSpec(
      yamlWith({ objective: { metric: 'val_shape_acc' }, scheduler: { kind: 'median' } }),
    );
    expect(accuracy.objective).toEqual({ metric: 'val_shape_acc', direction: 'maximize' });
    expect(accuracy.scheduler).toMatchObject({ metric: 'val_shape_acc', direction: 'maximize' });
    const ownMetric = parseSweepSpec(
      yamlWith({ objective: { metric: 'val_shape_acc' }, scheduler: { kind: 'asha', metric: 'val_loss' } }),
    );
    expect(ownMetric.scheduler).toMatchObject({ metric: 'val_loss', direction: 'minimize' });
    const explicit = parseSweepSpec(
      yamlWith({ objective: { metric: 'val_position_mae', direction: 'maximize' } }),
    );
    expect(explicit.objective.direction).toBe('maximize');
  });

  it('validates plain objects too (validateSweepSpec)', () => {
    expect(validateSweepSpec(baseFile()).name).toBe('test sweep');
    expect(() => validateSweepSpec({ ...baseFile(), name: '' })).toThrow(/^name: /);
  });
});

describe('parseSweepSpec: bad files name the field path', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['missing name', { name: undefined }, 'name', /required/],
    [
      'unknown top-level field',
      { epochs: 3 },
      'epochs',
      /unknown field; allowed: name, description, dataset/,
    ],
    ['missing dataset', { dataset: undefined }, 'dataset', /required/],
    ['dataset samples 0', { dataset: { samples: 0, seed: 1 } }, 'dataset.samples', />=1/],
    ['dataset seed missing', { dataset: { samples: 10 } }, 'dataset.seed', /required/],
    [
      'dataset unknown field',
      { dataset: { samples: 10, seed: 1, size: 64 } },
      'dataset.size',
      /allowed: imageSize, samples/,
    ],
    [
      'dataset image too big',
      { dataset: { samples: 10, seed: 1, imageSize: 4096 } },
      'dataset.imageSize',
      /<=1024/,
    ],
    ['unknown search', { search: 'bayes' }, 'search.kind', /'grid' \| 'random' \| 'tpe'/],
    ['random without trials', { search: 'random' }, 'search.trials', /required/],
    ['random trials 0', { search: { kind: 'random', trials: 0 } }, 'search.trials', />=1/],
    ['random negative seed', { search: { kind: 'random', trials: 2, seed: -1 } }, 'search.seed', />=0/],
    ['grid with extra field', { search: { kind: 'grid', trials: 3 } }, 'search.trials', /allowed: kind/],
    [
      'tpe startup > trials',
      { search: { kind: 'tpe', trials: 4, startup: 5 } },
      'search.startup',
      /at most search.trials/,
    ],
    ['tpe gamma 1', { search: { kind: 'tpe', trials: 4, gamma: 1 } }, 'search.gamma', /<1/],
    ['train-split objective', { objective: { metric: 'loss' } }, 'objective.metric', /"val_combined"/],
    [
      'tpe metric of an earlier version',
      { search: { kind: 'tpe', trials: 4, metric: 'val_loss' } },
      'search.metric',
      /write objective: \{ metric/,
    ],
    [
      'mode of an earlier version',
      { scheduler: { kind: 'asha', mode: 'min' } },
      'scheduler.mode',
      /renamed: write direction: minimize/,
    ],
    ['unknown scheduler', { scheduler: 'hyperband' }, 'scheduler.kind', /'none' \| 'asha' \| 'median'/],
    ['asha η 1', { scheduler: { kind: 'asha', reductionFactor: 1 } }, 'scheduler.reductionFactor', />=2/],
    [
      'asha bad direction',
      { scheduler: { kind: 'asha', direction: 'low' } },
      'scheduler.direction',
      /"minimize"\|"maximize"/,
    ],
    [
      'asha decreasing milestones',
      { scheduler: { kind: 'asha', milestones: [2, 1] } },
      'scheduler.milestones',
      /strictly increasing/,
    ],
    [
      'asha milestones and gracePeriod',
      { scheduler: { kind: 'asha', milestones: [1], gracePeriod: 1 } },
      'scheduler.gracePeriod',
      /either milestones or gracePeriod/,
    ],
    [
      'asha milestone past the last epoch',
      { scheduler: { kind: 'asha', milestones: [1, 3] } },
      'scheduler.milestones[1]',
      /beyond the most epochs a trial trains \(3\)/,
    ],
    ['median minTrials 0', { scheduler: { kind: 'median', minTrials: 0 } }, 'scheduler.minTrials', />=1/],
    ['repeats 0', { repeats: 0 }, 'repeats', />=1/],
    ['repeats disagree with seeds', { repeats: 2, seeds: [1, 2, 3] }, 'repeats', /seeds lists 3/],
    ['duplicate seeds', { seeds: [4, 4] }, 'seeds[1]', /duplicate seed 4/],
    ['missing parameters', { parameters: undefined }, 'parameters', /required/],
    ['parameters a list', { parameters: [1, 2] }, 'parameters', /expected a mapping/],
    [
      'missing arch',
      { parameters: { learningRate: 0.001 } },
      'parameters.arch',
      /required: .*mtl-seed, branches-seed/,
    ],
    [
      'unknown architecture',
      { parameters: parametersWith({ arch: { values: ['mtl-seed', 'resnet'] } }) },
      'parameters.arch.values[1]',
      /unknown architecture "resnet"; allowed: mtl-seed, branches-seed/,
    ],
    [
      'arch as a range',
      {
        search: { kind: 'random', trials: 2 },
        parameters: parametersWith({ arch: { distribution: 'uniform', min: 0, max: 1 } }),
      },
      'parameters.arch.distribution',
      /value or values/,
    ],
    [
      'log-uniform min ≤ 0',
      {
        search: { kind: 'random', trials: 2 },
        parameters: parametersWith({ learningRate: { distribution: 'log-uniform', min: 0, max: 0.1 } }),
      },
      'parameters.learningRate.min',
      /must be > 0 for log-uniform/,
    ],
    [
      'max below min',
      {
        search: { kind: 'random', trials: 2 },
        parameters: parametersWith({ learningRate: { distribution: 'uniform', min: 0.1, max: 0.01 } }),
      },
      'parameters.learningRate.max',
      /greater than min/,
    ],
    [
      'unknown distribution',
      { parameters: parametersWith({ learningRate: { distribution: 'normal', min: 0, max: 1 } }) },
      'parameters.learningRate.distribution',
      /unknown distribution "normal"; allowed: constant, choice, uniform, log-uniform, int-uniform/,
    ],
    [
      'range without distribution',
      { parameters: parametersWith({ learningRate: { min: 0.001, max: 0.1 } }) },
      'parameters.learningRate.distribution',
      /one of uniform, log-uniform, int-uniform/,
    ],
    [
      'misspelt range field',
      {
        search: { kind: 'random', trials: 2 },
        parameters: parametersWith({ learningRate: { distribution: 'uniform', mni: 0.001, max: 0.1 } }),
      },
      'parameters.learningRate.mni',
      /unknown field; allowed: distribution, min, max/,
    ],
    [
      'int-uniform with fractions',
      {
        search: { kind: 'random', trials: 2 },
        parameters: parametersWith({ epochs: { distribution: 'int-uniform', min: 1.5, max: 4 } }),
      },
      'parameters.epochs.min',
      /expected int/,
    ],
    [
      'uniform over a whole-number parameter',
      {
        search: { kind: 'random', trials: 2 },
        parameters: parametersWith({ batchSize: { distribution: 'uniform', min: 8, max: 64 } }),
      },
      'parameters.batchSize.distribution',
      /use int-uniform or values/,
    ],
    [
      'empty choice',
      { parameters: parametersWith({ batchSize: { values: [] } }) },
      'parameters.batchSize.values',
      /at least one/,
    ],
    [
      'duplicate choice',
      { parameters: parametersWith({ batchSize: { values: [16, 32, 16] } }) },
      'parameters.batchSize.values[2]',
      /duplicate of values\[0\]/,
    ],
    [
      'bare list',
      { parameters: parametersWith({ batchSize: [16, 32] }) },
      'parameters.batchSize',
      /values: \[\.\.\.\]/,
    ],
    [
      'batch size 0 in a choice',
      { parameters: parametersWith({ batchSize: { values: [16, 0] } }) },
      'parameters.batchSize.values[1]',
      />=1/,
    ],
    [
      'negative learning rate',
      { parameters: parametersWith({ learningRate: -1 }) },
      'parameters.learningRate',
      />0/,
    ],
    [
      'negative loss weight',
      { parameters: parametersWith({ lossWeights: { position: { values: [1, -2] } } }) },
      'parameters.lossWeights.position.values[1]',
      />=0/,
    ],
    [
      'unknown nested parameter',
      { parameters: parametersWith({ lossWeights: { positon: 2 } }) },
      'parameters.lossWeights.positon',
      /unknown parameter/,
    ],
    [
      'unknown parameter',
      { parameters: parametersWith({ optimizer: 'sgd' }) },
      'parameters.optimizer',
      /unknown parameter; allowed: arch, widthMultiplier, dropout, learningRate/,
    ],
    [
      'misspelt parameter',
      { parameters: parametersWith({ epoch: 3 }) },
      'parameters.epoch',
      /unknown parameter \(did you mean epochs\?\)/,
    ],
    [
      'seed as a parameter',
      { parameters: parametersWith({ seed: 1 }) },
      'parameters.seed',
      /set repeats or seeds/,
    ],
    [
      'fineTune not a switch',
      { parameters: parametersWith({ fineTune: 'yes' }) },
      'parameters.fineTune',
      /expected object/,
    ],
    ['dropout too high', { parameters: parametersWith({ dropout: 3 }) }, 'parameters.dropout', /<=1.4/],
    [
      'grid over a range',
      {
        parameters: parametersWith({ learningRate: { distribution: 'log-uniform', min: 0.0001, max: 0.01 } }),
      },
      'parameters.learningRate.distribution',
      /grid search needs value or values/,
    ],
    [
      'grid too large',
      {
        repeats: 100,
        parameters: parametersWith({ batchSize: { values: Array.from({ length: 60 }, (_, i) => i + 1) } }),
      },
      'parameters',
      /240 configurations × 100 seeds = 24000 trials; at most 10000/,
    ],
    [
      'tpe over constants only',
      { search: { kind: 'tpe', trials: 5 }, parameters: { arch: 'mtl-seed', batchSize: 16 } },
      'parameters',
      /at least one parameter that varies/,
    ],
  ])('%s', (_title, changes, path, message) => {
    const error = specRefusal(yamlWith(changes));
    const issue = error.issues.find((candidate) => candidate.path === path);
    expect(issue, `issues: ${error.message}`).toBeDefined();
    expect(issue?.message).toMatch(message);
    expect(error.message).toContain(`bad.yaml:${issue?.line}: ${path}: `);
  });

  it('names the line of each bad field, in file order, and reports them all at once', () => {
    const text = [
      'name: lines',
      'dataset:',
      '  samples: 100',
      '  seed: 1',
      'search: grid',
      'parameters:',
      '  arch: mtl-seed',
      '  learningRate:',
      '    distribution: log-uniform',
      '    min: -0.1',
      '    max: 0.1',
      '  batchSize: 0',
      'repeats: 0',
    ].join('\n');
    const error = specRefusal(text);
    expect(error.issues.map((issue) => [issue.line, issue.path])).toEqual([
      [10, 'parameters.learningRate.min'],
      [12, 'parameters.batchSize'],
      [13, 'repeats'],
    ]);
    expect(error.path).toBe('parameters.learningRate.min');
    expect(error.file).toBe('bad.yaml');
  });

  it.each([
    [
      'an unclosed flow sequence',
      'name: x\nsearch: grid\nparameters:\n  arch: [mtl-seed\nrepeats: 2\n',
      /^bad\.yaml:\d+: invalid YAML: /,
    ],
    ['a tab indent', 'name: x\nparameters:\n\tarch: mtl-seed\n', /^bad\.yaml:3: invalid YAML: /],
    ['a duplicate key', 'name: x\nname: y\n', /^bad\.yaml:2: invalid YAML: Map keys must be unique/],
  ])('malformed YAML (%s) names the line', (_title, text, message) => {
    expect(specRefusal(text).message).toMatch(message);
  });

  it('an empty file or a scalar is not a sweep', () => {
    expect(specRefusal('').message).toMatch(/expected object/);
    expect(specRefusal('just text').message).toMatch(/expected object/);
  });

  it('an unreadable file is a SweepSpecError naming the file', async () => {
    await expect(loadSweepSpec('/nonexistent/sweep.yaml')).rejects.toThrow(
      /^\/nonexistent\/sweep\.yaml: cannot read the sweep spec: no such file/,
    );
  });
});
