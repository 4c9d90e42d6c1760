import { describe, expect, it } from 'vitest';
import { parametersWith, yamlWith } from '../test/fixtures.js';
import { SweepSpecError } from './errors.js';
import { parseSweepSpec } from './parse-sweep-spec.js';
import { planSweep, suggestTrials } from './plan-sweep.js';

const specWith = (
  parameters: Record<string, unknown>,
  search: unknown = { kind: 'random', trials: 6, seed: 4 },
) =>
  parseSweepSpec(
    yamlWith({ search, parameters: parametersWith({ arch: 'mtl-seed', ...parameters }) }),
    'd.yaml',
  );

function issuesOf(parameters: Record<string, unknown>, search?: unknown): SweepSpecError {
  try {
    specWith(parameters, search);
  } catch (error) {
    if (error instanceof SweepSpecError) return error;
    throw error;
  }
  throw new Error('expected a SweepSpecError');
}

describe('distribution: dirichlet', () => {
  it('draws static loss weights on the simplex (sum 3 by default, so 1 each is its centre)', () => {
    const spec = specWith({ lossWeights: { distribution: 'dirichlet' } });
    expect(spec.parameters.find((p) => p.name === 'lossWeights')?.distribution).toEqual({
      kind: 'dirichlet',
      keys: ['position', 'shape', 'colour'],
      concentration: [1, 1, 1],
      total: 3,
    });
    const weights = planSweep(spec).trials.map((trial) => trial.config.lossWeights as Record<string, number>);
    expect(weights).toHaveLength(6);
    for (const w of weights) {
      expect(Object.keys(w)).toEqual(['position', 'shape', 'colour']);
      expect(w.position! + w.shape! + w.colour!).toBeCloseTo(3, 12);
      for (const part of Object.values(w)) expect(part).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(weights.map((w) => w.position)).size).toBe(6);
    // The same spec plans the same draws.
    expect(planSweep(specWith({ lossWeights: { distribution: 'dirichlet' } })).trials).toEqual(
      planSweep(spec).trials,
    );
  });

  it('takes keys, a concentration per key and a total, inside a static lossWeighting too', () => {
    const spec = specWith({
      lossWeighting: {
        kind: 'static',
        weights: { distribution: 'dirichlet', keys: ['shape', 'colour'], concentration: [2, 8], total: 1 },
      },
    });
    for (const trial of planSweep(spec).trials) {
      const weighting = trial.config.lossWeighting as { kind: string; weights: Record<string, number> };
      expect(weighting.kind).toBe('static');
      expect(weighting.weights.shape! + weighting.weights.colour!).toBeCloseTo(1, 12);
    }
  });

  it('is suggested by tpe (from its prior) once the startup trials ran', () => {
    const spec = specWith(
      {
        lossWeights: { distribution: 'dirichlet' },
        learningRate: { distribution: 'log-uniform', min: 1e-4, max: 1e-2 },
      },
      { kind: 'tpe', trials: 4, startup: 2, seed: 1 },
    );
    const startup = planSweep(spec).trials;
    const results = startup.map((trial, i) => ({ config: trial.config, value: i }));
    const [next] = suggestTrials(spec, results, 2);
    const w = next?.config.lossWeights as Record<string, number>;
    expect(w.position! + w.shape! + w.colour!).toBeCloseTo(3, 12);
  });

  it.each([
    [
      { lossWeights: { distribution: 'dirichlet', concentration: 0 } },
      'parameters.lossWeights.concentration',
      />0/,
    ],
    [
      { lossWeights: { distribution: 'dirichlet', concentration: [1, 2] } },
      'parameters.lossWeights.concentration',
      /one value per key/,
    ],
    [
      { lossWeights: { distribution: 'dirichlet', keys: ['position'] } },
      'parameters.lossWeights.keys',
      /two keys/,
    ],
    [
      { lossWeights: { distribution: 'dirichlet', keys: ['position', 'size'] } },
      'parameters.lossWeights',
      /size/,
    ],
    [{ lossWeights: { distribution: 'dirichlet', total: -1 } }, 'parameters.lossWeights.total', />0/],
  ])('refuses %j, naming the field', (parameters, path, message) => {
    const error = issuesOf(parameters);
    const issue = error.issues.find((candidate) => candidate.path === path);
    expect(issue, `issues: ${error.message}`).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it('is refused by grid search, which needs values', () => {
    const error = issuesOf({ lossWeights: { distribution: 'dirichlet' } }, 'grid');
    expect(error.message).toMatch(
      /grid search needs value or values; a dirichlet range needs search random or tpe/,
    );
  });
});
