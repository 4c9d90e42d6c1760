import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { specRefusal, yamlWith } from '../test/fixtures.js';
import { planExtension } from './extend-plan.js';
import { parseSweepSpec } from './parse-sweep-spec.js';
import { configurationCount, planSweep } from './plan-sweep.js';
import { renderTrialTable } from './render-plan.js';

/** What every variant shares, and the study's three variants: weightings, branches, baselines. */
const shared = { learningRate: 0.001, batchSize: 16, epochs: 3 };
const studyVariants = [
  {
    arch: 'mtl-seed',
    lossWeighting: { values: [{ kind: 'static' }, { kind: 'gradnorm', alpha: 1.5 }] },
  },
  { arch: 'branches-seed' },
  { arch: { values: ['stl-position', 'stl-shape'] } },
];

const refusal = (changes: Record<string, unknown>) => specRefusal(yamlWith(changes));

describe('variants: the union of sub-grids', () => {
  const spec = parseSweepSpec(yamlWith({ parameters: shared, variants: studyVariants, repeats: 2 }));

  it('runs each variant’s grid over the shared parameters, in file order', () => {
    expect(configurationCount(spec)).toBe(2 + 1 + 2);
    const plan = planSweep(spec);
    expect(plan.trials).toHaveLength(10);
    expect(plan.trials.filter((t) => t.seed === 0).map((t) => t.config)).toEqual([
      { ...shared, arch: 'mtl-seed', lossWeighting: { kind: 'static' } },
      { ...shared, arch: 'mtl-seed', lossWeighting: { kind: 'gradnorm', alpha: 1.5 } },
      { ...shared, arch: 'branches-seed' },
      { ...shared, arch: 'stl-position' },
      { ...shared, arch: 'stl-shape' },
    ]);
    expect(plan.trials.map((t) => t.trialId).slice(0, 3)).toEqual(['t000', 't001', 't002']);
  });

  it('checks each value in its own variant: GradNorm beside mtl-seed plans, beside branches-seed is refused', () => {
    const error = refusal({
      parameters: shared,
      variants: [{ arch: 'branches-seed', lossWeighting: { kind: 'gradnorm', alpha: 1.5 } }],
    });
    expect(error.issues.map((issue) => issue.path)).toEqual(['variants[0].lossWeighting.kind']);
    expect(error.message).toContain('bad.yaml');
  });

  it('a variant replaces a shared key: its own value wins', () => {
    const plan = planSweep(
      parseSweepSpec(
        yamlWith({ parameters: { ...shared, arch: 'mtl-seed' }, variants: [{ learningRate: 0.01 }] }),
      ),
    );
    expect(plan.trials[0]?.config).toEqual({ ...shared, arch: 'mtl-seed', learningRate: 0.01 });
  });

  it('names the field of each problem: a shared one at parameters, a variant’s at variants[i]', () => {
    const error = refusal({
      parameters: { ...shared, epochs: 0 },
      variants: [{ arch: 'mtl-seed', dropout: -1 }, { arch: 'nope' }, 'text'],
    });
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toContain('parameters.epochs');
    expect(paths).toContain('variants[0].dropout');
    expect(paths).toContain('variants[1].arch');
    expect(paths).toContain('variants[2]');
    // The shared problem is said once, not once per variant.
    expect(paths.filter((path) => path === 'parameters.epochs')).toHaveLength(1);
  });

  it('refuses random or tpe search, a range in a grid, and two variants giving one configuration', () => {
    expect(
      refusal({ search: { kind: 'random', trials: 2, seed: 0 }, parameters: shared, variants: studyVariants })
        .issues[0],
    ).toMatchObject({ path: 'variants', message: expect.stringContaining('variants take search: grid') });
    expect(
      refusal({
        parameters: shared,
        variants: [{ arch: 'mtl-seed', dropout: { distribution: 'uniform', min: 0, max: 1 } }],
      }).issues[0]?.path,
    ).toBe('variants[0].dropout.distribution');
    expect(() =>
      planSweep(
        parseSweepSpec(
          yamlWith({ parameters: shared, variants: [{ arch: 'mtl-seed' }, { arch: 'mtl-seed' }] }),
        ),
      ),
    ).toThrow(/configurations 0 and 1 are both .*a variant repeats another's configuration/);
  });

  it('an objective of a head a variant’s architecture lacks is refused', () => {
    const error = refusal({
      objective: { metric: 'val_colour_acc' },
      parameters: shared,
      variants: [{ arch: 'mtl-seed' }, { arch: 'stl-shape' }],
    });
    expect(error.issues[0]).toMatchObject({ path: 'objective.metric' });
  });

  it('the trial table has a column for what differs between variants, constants shared by all in none', () => {
    const table = renderTrialTable(spec, planSweep(spec).trials).split('\n');
    expect(table[0]?.split(/\s+/)).toEqual(['trial', 'seed', 'arch', 'lossWeighting']);
    expect(table[1]).toMatch(/^t000\s+0\s+mtl-seed\s+kind static$/);
    expect(table[5]).toMatch(/^t004\s+0\s+branches-seed\s+-$/);
  });

  it('grows by seeds like any sweep: every variant’s configurations get the new seed', () => {
    const plan = planSweep(spec);
    const grown = planExtension(spec, { kind: 'seeds', seeds: 3 }, { existing: plan.trials });
    expect(grown.trials).toHaveLength(5);
    expect(grown.trials.every((trial) => trial.seed === 2)).toBe(true);
    expect(grown.trials[0]?.trialId).toBe('t010');
  });

  it('examples/mtl-study.yaml plans the study: 8 configurations × 3 seeds, each weighting on mtl-seed', async () => {
    for (const file of ['mtl-study.yaml', 'mtl-study-full.yaml']) {
      const study = parseSweepSpec(
        await readFile(new URL(`../../../examples/${file}`, import.meta.url), 'utf8'),
      );
      const trials = planSweep(study).trials;
      expect(trials).toHaveLength(24);
      const kinds = trials
        .filter((t) => t.config.arch === 'mtl-seed')
        .map((t) => (t.config.lossWeighting as { kind: string }).kind);
      expect(new Set(kinds)).toEqual(new Set(['static', 'uncertainty', 'dwa', 'gradnorm']));
      expect(new Set(trials.map((t) => t.config.arch))).toEqual(
        new Set(['mtl-seed', 'branches-seed', 'stl-position', 'stl-shape', 'stl-colour']),
      );
    }
  });
});
