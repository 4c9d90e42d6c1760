import { describe, expect, it } from 'vitest';
import { PayloadError, parsePayload } from './errors.js';
import { trialJobSchema } from './job-payloads.js';
import { sweepPlanSchema } from './sweep-plan.js';

const plan = {
  sweepId: 'sw-1',
  dataset: { samples: 100, seed: 7 },
  trials: [
    { trialId: 't1', config: { arch: 'mtl-seed', learningRate: 0.001 }, seed: 1 },
    {
      trialId: 't2',
      config: { arch: 'mtl-seed', learningRate: 0.01, lossWeights: { position: 2 } },
      seed: 2,
    },
  ],
};

describe('sweepPlanSchema', () => {
  it('fills the dataset defaults and keeps generic JSON hyperparameters', () => {
    const parsed = parsePayload(sweepPlanSchema, plan, 'sweep plan');
    expect(parsed.dataset).toEqual({
      imageSize: 128,
      samples: 100,
      valFraction: 0.2,
      test: 800,
      seed: 7,
      shardSize: 500,
    });
    expect(parsed.trials[1]?.config).toEqual({
      arch: 'mtl-seed',
      learningRate: 0.01,
      lossWeights: { position: 2 },
    });
  });

  it('reads the objective and scheduler of a plan registered before direction replaced mode', () => {
    const parsed = sweepPlanSchema.parse({
      ...plan,
      objective: { metric: 'val_shape_acc', mode: 'max' },
      scheduler: { kind: 'median', metric: 'val_loss', mode: 'min', gracePeriod: 1, minTrials: 2 },
    });
    expect(parsed.objective).toEqual({ metric: 'val_shape_acc', direction: 'maximize' });
    expect(parsed.scheduler).toMatchObject({ metric: 'val_loss', direction: 'minimize' });
    expect(
      sweepPlanSchema.safeParse({ ...plan, objective: { metric: 'val_loss', mode: 'low' } }).success,
    ).toBe(false);
  });

  it('names a duplicate trial id', () => {
    const duplicate = { ...plan, trials: [plan.trials[0], plan.trials[0]] };
    expect(() => parsePayload(sweepPlanSchema, duplicate, 'sweep plan')).toThrow(
      'sweep plan: field trials.1.trialId: duplicate trial id t1',
    );
  });

  it.each([
    [{ ...plan, sweepId: '../x' }, 'sweepId'],
    [{ ...plan, trials: [] }, 'trials'],
    [{ ...plan, trials: [{ trialId: 't1', config: { learningRate: 1 }, seed: 1 }] }, 'trials.0.config.arch'],
    [
      { ...plan, trials: [{ trialId: 't1', config: { arch: 'x', f: () => 1 }, seed: 1 }] },
      'trials.0.config.f',
    ],
    [{ ...plan, dataset: { samples: 10 } }, 'dataset.seed'],
  ])('rejects a bad plan naming the field (%#)', (bad, field) => {
    const error = (() => {
      try {
        parsePayload(sweepPlanSchema, bad, 'sweep plan');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).field).toBe(field);
  });
});

describe('trialJobSchema', () => {
  it('refuses a dataset id that is not a sha256', () => {
    const job = {
      sweepId: 's',
      datasetId: 'abc',
      dataset: { samples: 1, seed: 1 },
      trialId: 't',
      config: { arch: 'a' },
      seed: 0,
    };
    expect(() => parsePayload(trialJobSchema, job, 'job s-t')).toThrow('job s-t: field datasetId');
  });
});
