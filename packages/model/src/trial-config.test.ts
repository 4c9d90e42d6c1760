import { describe, expect, it } from 'vitest';
import { TrialConfigError } from './errors.js';
import { parseTrialConfig } from './trial-config.js';

describe('parseTrialConfig', () => {
  it('splits a flat trial config onto the architecture and training schemas', () => {
    const setup = parseTrialConfig(
      { arch: 'mtl-seed', widthMultiplier: 0.5, learningRate: 0.002, earlyStopping: { patience: 3 } },
      { imageSize: 64, seed: 9 },
    );
    expect(setup.arch).toBe('mtl-seed');
    expect(setup.architecture).toEqual({ imageSize: 64, widthMultiplier: 0.5, seed: 9 });
    expect(setup.train).toMatchObject({
      learningRate: 0.002,
      batchSize: 16,
      seed: 9,
      earlyStopping: { patience: 3, minDelta: 0, restoreBestWeights: true },
    });
  });

  it('reads lossWeighting, and lossWeights as the shorthand of static weights', () => {
    const context = { imageSize: 128 };
    expect(parseTrialConfig({ arch: 'mtl-seed' }, context).train.lossWeighting).toEqual({
      kind: 'static',
      weights: { position: 1, shape: 1, colour: 1 },
    });
    expect(
      parseTrialConfig({ arch: 'mtl-seed', lossWeights: { position: 2 } }, context).train.lossWeighting,
    ).toEqual({
      kind: 'static',
      weights: { position: 2, shape: 1, colour: 1 },
    });
    expect(
      parseTrialConfig({ arch: 'mtl-seed', lossWeighting: { kind: 'dwa', temperature: 3 } }, context).train
        .lossWeighting,
    ).toEqual({ kind: 'dwa', temperature: 3 });
  });

  it.each([
    [{ arch: 'mtl-seed', lossWeights: { position: -1 } }, 'lossWeights.position'],
    [{ arch: 'mtl-seed', lossWeights: { positon: 1 } }, 'lossWeights.positon'],
    [{ arch: 'mtl-seed', lossWeights: {}, lossWeighting: { kind: 'static' } }, 'lossWeights'],
    [{ arch: 'mtl-seed', lossWeighting: { kind: 'pcgrad' } }, 'lossWeighting.kind'],
    [{ arch: 'branches-seed', lossWeighting: { kind: 'gradnorm' } }, 'lossWeighting.kind'],
    [{ arch: 'nope' }, 'arch'],
    [{ arch: 'stl-shape', lossWeighting: { kind: 'dwa' } }, 'lossWeighting.kind'],
    [{ arch: 'stl-colour', lossWeights: { colour: 0 } }, 'lossWeights.colour'],
    [{ arch: 'stl-position', fineTune: { epochs: 1 } }, 'fineTune'],
    [{ arch: 'mtl-seed', learningRate: -1 }, 'learningRate'],
    [{ arch: 'mtl-seed', batchSize: 16, bogus: 1 }, 'bogus'],
    [{ arch: 'mtl-seed', earlyStopping: { patience: 'x' } }, 'earlyStopping.patience'],
    [{ arch: 'mtl-seed', widthMultiplier: 0 }, 'widthMultiplier'],
  ])('names the bad field of %j', (config, field) => {
    expect(() => parseTrialConfig(config, { imageSize: 128 })).toThrow(TrialConfigError);
    try {
      parseTrialConfig(config, { imageSize: 128 });
    } catch (error) {
      expect((error as TrialConfigError).field).toBe(field);
    }
  });

  it("takes a single-task baseline as a trial: static weighting, the absent heads' weights ignored", () => {
    const setup = parseTrialConfig(
      { arch: 'stl-position', lossWeights: { position: 2, shape: 0 }, epochs: 1 },
      { imageSize: 96, seed: 4 },
    );
    expect(setup.arch).toBe('stl-position');
    expect(setup.train.lossWeighting).toMatchObject({ kind: 'static', weights: { position: 2 } });
    expect(() =>
      parseTrialConfig({ arch: 'stl-shape', lossWeighting: { kind: 'uncertainty' } }, { imageSize: 96 }),
    ).toThrow(
      /uncertainty balances the heads' losses against each other, and stl-shape has only shape; allowed with stl-shape: static/,
    );
    expect(() => parseTrialConfig({ arch: 'stl-9' }, { imageSize: 96 })).toThrow(
      /must be one of mtl-seed, branches-seed, stl-position, stl-shape, stl-colour/,
    );
  });
});
