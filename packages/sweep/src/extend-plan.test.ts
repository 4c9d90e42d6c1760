import { describe, expect, it } from 'vitest';
import { baseFile, parametersWith } from '../test/fixtures.js';
import { planExtension } from './extend-plan.js';
import { planSweep } from './plan-sweep.js';
import { validateSweepSpec } from './sweep-spec.js';

const spec = (changes: Record<string, unknown> = {}) => validateSweepSpec({ ...baseFile(), ...changes });
const pairs = (trials: { config: unknown; seed: number }[]) =>
  trials.map(({ config, seed }) => ({ config, seed }));

const random = spec({
  search: { kind: 'random', trials: 4, seed: 9 },
  repeats: 2,
  parameters: parametersWith({ learningRate: { distribution: 'log-uniform', min: 1e-4, max: 1e-2 } }),
});

describe('planExtension', () => {
  it('--trials on a random search adds exactly what a spec with that many would plan, with new ids', () => {
    const existing = planSweep(random).trials;
    const grown = planExtension(random, { kind: 'trials', trials: 6 }, { existing });
    const wider = planSweep({ ...random, search: { ...random.search, trials: 6 } as typeof random.search });
    expect(pairs(grown.trials)).toEqual(pairs(wider.trials.slice(8)));
    expect(grown.trials.map((t) => t.trialId)).toEqual(['t008', 't009', 't010', 't011']);
    expect(grown.spec.search).toMatchObject({ kind: 'random', trials: 6 });
  });

  it('--seeds runs every configuration so far with the next unused seeds; ids continue after the highest', () => {
    const withSeeds = spec({ seeds: [5, 1] });
    const existing = planSweep(withSeeds).trials;
    const grown = planExtension(withSeeds, { kind: 'seeds', seeds: 4 }, { existing });
    expect(grown.spec.seeds).toEqual([5, 1, 0, 2]);
    const configs = [...new Set(existing.map((t) => JSON.stringify(t.config)))];
    expect(grown.trials.map((t) => [JSON.stringify(t.config), t.seed])).toEqual(
      configs.flatMap((config) => [
        [config, 0],
        [config, 2],
      ]),
    );
    expect(grown.trials[0]?.trialId).toBe(`t${String(existing.length).padStart(3, '0')}`);
    // Extended again, from the grown sweep: ids keep clear of every earlier one.
    const all = [...existing, ...grown.trials];
    const again = planExtension(grown.spec, { kind: 'seeds', seeds: 5 }, { existing: all });
    expect(again.trials.map((t) => t.seed)).toEqual(configs.map(() => 3));
    expect(new Set([...all, ...again.trials].map((t) => t.trialId)).size).toBe(
      all.length + again.trials.length,
    );
  });

  it('--spec adds only the configurations and seeds the sweep has not run', () => {
    const base = spec();
    const existing = planSweep(base).trials;
    const changed = spec({
      parameters: parametersWith({ learningRate: { values: [0.001, 0.0003, 0.003] } }),
    });
    const grown = planExtension(base, { kind: 'spec', spec: changed }, { existing });
    expect(pairs(grown.trials)).toEqual(
      pairs(planSweep(changed).trials.filter((t) => t.config.learningRate === 0.003)),
    );
    expect(grown.trials.map((t) => t.trialId)).toEqual(['t004', 't005']);
    expect(grown.spec).toBe(changed);
  });

  it('a TPE sweep gets suggestions warm-started from the results, numbered above what its trainers will add', () => {
    const tpe = spec({
      search: { kind: 'tpe', trials: 5, startup: 2, seed: 3 },
      parameters: parametersWith({ learningRate: { distribution: 'log-uniform', min: 1e-4, max: 1e-2 } }),
    });
    const existing = planSweep(tpe).trials;
    const results = existing.map((t, i) => ({ config: t.config, value: i }));
    const grown = planExtension(tpe, { kind: 'trials', trials: 7 }, { existing, results, reserved: 5 });
    expect(grown.trials.map((t) => t.trialId)).toEqual(['t005', 't006']);
    expect(grown.spec.search).toMatchObject({ kind: 'tpe', trials: 7 });
    // Deterministic: the same sweep and results give the same suggestions.
    expect(planExtension(tpe, { kind: 'trials', trials: 7 }, { existing, results, reserved: 5 })).toEqual(
      grown,
    );
  });

  it.each([
    [
      'a grid and --trials',
      spec(),
      { kind: 'trials', trials: 9 },
      /^trials: a grid has no further configurations/,
    ],
    ['as many seeds as now', random, { kind: 'seeds', seeds: 2 }, /^seeds: the sweep runs 2 seeds already/],
    [
      'as many trials as now',
      random,
      { kind: 'trials', trials: 4 },
      /^trials: the sweep has 4 configurations/,
    ],
    ['the same spec', spec(), { kind: 'spec', spec: spec() }, /^spec: adds no trial the sweep has not run/],
    [
      'another dataset',
      spec(),
      { kind: 'spec', spec: spec({ dataset: { samples: 200, seed: 3 } }) },
      /^spec\.dataset: differs from the sweep's/,
    ],
    [
      'another objective',
      spec(),
      { kind: 'spec', spec: spec({ objective: { metric: 'val_shape_acc', direction: 'maximize' } }) },
      /^spec\.objective: differs from the sweep's/,
    ],
  ] as const)('refuses %s, naming the field', (_, from, request, message) => {
    const existing = planSweep(from).trials;
    expect(() => planExtension(from, request, { existing })).toThrow(message);
    expect(() => planExtension(from, request, { existing })).toThrow(
      expect.objectContaining({ code: 'ERR_SWEEP_EXTENSION' }),
    );
  });
});
