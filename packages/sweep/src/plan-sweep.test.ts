import { parseTrialConfig } from '@repo/model';
import { describe, expect, it } from 'vitest';
import { baseFile, parametersWith } from '../test/fixtures.js';
import { configurationCount, planSweep, suggestTrials, sweepId } from './plan-sweep.js';
import { validateSweepSpec } from './sweep-spec.js';

const spec = (changes: Record<string, unknown> = {}) => validateSweepSpec({ ...baseFile(), ...changes });

const randomSpace = parametersWith({
  learningRate: { distribution: 'log-uniform', min: 1e-4, max: 1e-2 },
  dropout: { distribution: 'uniform', min: 0, max: 1 },
  epochs: { distribution: 'int-uniform', min: 1, max: 5 },
  fineTune: { values: [false, true] },
});

describe('planSweep: grid', () => {
  it('is the cartesian product × repeats, configuration-major, last parameter fastest', () => {
    const plan = planSweep(spec({ repeats: 3 }));
    expect(plan.trials).toHaveLength(2 * 2 * 3);
    expect(plan.trials.slice(0, 4)).toEqual([
      {
        trialId: 't000',
        config: { arch: 'mtl-seed', learningRate: 0.001, batchSize: 16, epochs: 3 },
        seed: 0,
      },
      {
        trialId: 't001',
        config: { arch: 'mtl-seed', learningRate: 0.001, batchSize: 16, epochs: 3 },
        seed: 1,
      },
      {
        trialId: 't002',
        config: { arch: 'mtl-seed', learningRate: 0.001, batchSize: 16, epochs: 3 },
        seed: 2,
      },
      {
        trialId: 't003',
        config: { arch: 'mtl-seed', learningRate: 0.0003, batchSize: 16, epochs: 3 },
        seed: 0,
      },
    ]);
    expect(plan.trials.at(-1)).toMatchObject({ trialId: 't011', config: { arch: 'branches-seed' }, seed: 2 });
    const distinct = new Set(plan.trials.map((trial) => JSON.stringify([trial.config, trial.seed])));
    expect(distinct.size).toBe(12);
  });

  it('counts every choice of nested groups and explicit seeds', () => {
    const s = spec({
      seeds: [7, 9],
      parameters: parametersWith({
        lossWeights: { position: { values: [1, 2, 4] }, colour: { values: [0.5, 1] } },
      }),
    });
    expect(configurationCount(s)).toBe(2 * 2 * 3 * 2);
    const plan = planSweep(s);
    expect(plan.trials).toHaveLength(48);
    expect(new Set(plan.trials.map((trial) => trial.seed))).toEqual(new Set([7, 9]));
    expect(plan.trials[0]?.config.lossWeights).toEqual({ position: 1, colour: 0.5 });
  });

  it('widens trial ids past 1000 trials', () => {
    const plan = planSweep(
      spec({ repeats: 100, parameters: parametersWith({ batchSize: { values: [8, 16, 32] } }) }),
    );
    expect(plan.trials).toHaveLength(1200);
    expect(plan.trials[0]?.trialId).toBe('t0000');
    expect(plan.trials.at(-1)?.trialId).toBe('t1199');
  });
});

describe('planSweep: random', () => {
  const random = (seed: number, trials = 8) =>
    spec({ search: { kind: 'random', trials, seed }, repeats: 2, parameters: randomSpace });

  it('draws n configurations × repeats within their distributions', () => {
    const plan = planSweep(random(1));
    expect(plan.trials).toHaveLength(16);
    for (const { config } of plan.trials) {
      expect(config.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(config.learningRate).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(config.epochs)).toBe(true);
      expect(['mtl-seed', 'branches-seed']).toContain(config.arch);
      expect(config.fineTune === undefined || JSON.stringify(config.fineTune) === '{}').toBe(true);
    }
    expect(new Set(plan.trials.map((trial) => trial.config.learningRate)).size).toBe(8);
  });

  it('the same seed gives the same trials; another seed different ones; more trials keep the first', () => {
    expect(planSweep(random(1))).toEqual(planSweep(random(1)));
    expect(planSweep(random(2)).trials.map((t) => t.config)).not.toEqual(
      planSweep(random(1)).trials.map((t) => t.config),
    );
    expect(
      planSweep(random(1, 12))
        .trials.slice(0, 16)
        .map((t) => t.config),
    ).toEqual(planSweep(random(1)).trials.map((t) => t.config));
  });

  it('log-uniform spreads over decades: about as many draws below 1e-3 as above', () => {
    const plan = planSweep(
      spec({ search: { kind: 'random', trials: 400, seed: 5 }, parameters: randomSpace }),
    );
    const below = plan.trials.filter((trial) => (trial.config.learningRate as number) < 1e-3).length;
    expect(below).toBeGreaterThan(160);
    expect(below).toBeLessThan(240);
  });

  it('every planned config passes the trainer’s own parser', () => {
    for (const trial of planSweep(random(3)).trials) {
      expect(() => parseTrialConfig(trial.config, { imageSize: 128, seed: trial.seed })).not.toThrow();
    }
  });
});

describe('sweepId', () => {
  it('is a readable, deterministic content address', () => {
    const id = sweepId(spec());
    expect(id).toMatch(/^test-sweep-[0-9a-f]{12}$/);
    expect(sweepId(spec())).toBe(id);
    expect(planSweep(spec()).sweepId).toBe(id);
  });

  it('ignores defaults written out, but changes with anything that would run differently', () => {
    const id = sweepId(spec());
    expect(sweepId(spec({ repeats: 1, scheduler: 'none' }))).toBe(id);
    expect(sweepId(spec({ repeats: 2 }))).not.toBe(id);
    expect(
      sweepId(spec({ dataset: { samples: 101, imageSize: 128, test: 20, seed: 3, shardSize: 50 } })),
    ).not.toBe(id);
    expect(sweepId(spec({ parameters: parametersWith({ batchSize: 32 }) }))).not.toBe(id);
    expect(sweepId(spec({ name: 'Other Name!' }))).toMatch(/^other-name-[0-9a-f]{12}$/);
  });
});

describe('planSweep: tpe', () => {
  const tpe = spec({
    search: { kind: 'tpe', trials: 12, startup: 4, seed: 2 },
    repeats: 2,
    parameters: randomSpace,
  });

  it('plans the random start-up configurations; the ids leave room for the rest', () => {
    const plan = planSweep(tpe);
    expect(plan.trials.map((trial) => trial.trialId)).toEqual([
      't000',
      't001',
      't002',
      't003',
      't004',
      't005',
      't006',
      't007',
    ]);
    expect(configurationCount(tpe)).toBe(12);
  });

  it('suggests later configurations deterministically from results, with the next ids', () => {
    const plan = planSweep(tpe);
    const results = plan.trials.map((trial) => ({
      config: trial.config,
      value: Math.abs(Math.log10(trial.config.learningRate as number) + 3),
    }));
    const next = suggestTrials(tpe, results, 4);
    expect(next.map((trial) => [trial.trialId, trial.seed])).toEqual([
      ['t008', 0],
      ['t009', 1],
    ]);
    expect(next[0]?.config).toEqual(next[1]?.config);
    expect(suggestTrials(tpe, results, 4)).toEqual(next);
    expect(suggestTrials(tpe, results.slice(0, 6), 4)).not.toEqual(next);
    expect(() => suggestTrials(tpe, results, 12)).toThrow(RangeError);
    expect(() => suggestTrials(spec(), results, 4)).toThrow(/needs search tpe/);
  });
});
