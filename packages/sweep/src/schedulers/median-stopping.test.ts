import { describe, expect, it } from 'vitest';
import { type MedianStoppingOptions, medianStoppingDecision } from './median-stopping.js';
import { schedulerDecision, schedulerDecisionAt } from './scheduler-decision.js';
import { curveFromHistory, type TrialCurve } from './trial-curve.js';

const options: MedianStoppingOptions = {
  metric: 'val_loss',
  direction: 'minimize',
  gracePeriod: 2,
  minTrials: 3,
};
const curve = (trialId: string, ...values: number[]): TrialCurve => ({ trialId, values });
const others = [
  curve('a', 1.0, 0.8, 0.6, 0.5),
  curve('b', 1.1, 0.7, 0.5, 0.4),
  curve('c', 0.9, 0.9, 0.7, 0.6),
];

describe('median stopping', () => {
  it('never stops within the grace period', () => {
    expect(medianStoppingDecision(options, curve('t', 5), others)).toEqual({
      action: 'continue',
      epoch: 1,
      reason: 'epoch 1 is within the grace period (2)',
    });
  });

  it('stops a trial whose best so far is worse than the median of the others’ bests at that epoch', () => {
    // Others' bests by epoch 3: a 0.6, b 0.5, c 0.7 → median 0.6.
    const decision = medianStoppingDecision(options, curve('t', 1.2, 0.9, 0.65), others);
    expect(decision).toEqual({
      action: 'stop',
      epoch: 3,
      reason: 'best val_loss 0.65 by epoch 3 is worse than the median 0.6 of 3 other trials',
    });
    expect(medianStoppingDecision(options, curve('t', 1.2, 0.6, 0.9), others)).toMatchObject({
      action: 'continue',
      reason: 'best val_loss 0.6 by epoch 3 is no worse than the median 0.6 of 3 other trials',
    });
  });

  it('waits for minTrials others at the same epoch (shorter curves do not count)', () => {
    const fewer = [...others.slice(0, 2), curve('c', 0.9, 0.9)];
    expect(medianStoppingDecision(options, curve('t', 9, 9, 9), fewer)).toMatchObject({
      action: 'continue',
      reason: '2 other trials have reached epoch 3; 3 needed to judge',
    });
  });

  it('takes an even count’s median as the mean of the middle two, and ignores itself among the others', () => {
    const four = [...others, curve('d', 1, 1, 0.3)];
    const self = curve('t', 1, 1, 0.56);
    // bests 0.6, 0.5, 0.7, 0.3 → median 0.55
    expect(medianStoppingDecision(options, self, [...four, self]).reason).toMatch(
      /0.56 .* worse than the median 0.55 of 4/,
    );
  });
});

describe('schedulerDecision', () => {
  it('dispatches on the scheduler kind; none always continues', () => {
    const trial = curve('t', 1.2, 0.9, 0.65);
    expect(schedulerDecision({ kind: 'none' }, trial, others)).toEqual({
      action: 'continue',
      epoch: 3,
      reason: 'no scheduler',
    });
    expect(schedulerDecision({ kind: 'median', ...options }, trial, others).action).toBe('stop');
    const asha = {
      kind: 'asha' as const,
      metric: 'val_loss' as const,
      direction: 'minimize' as const,
      reductionFactor: 3,
      gracePeriod: 1,
    };
    expect(schedulerDecision(asha, trial, others).action).toBe('stop');
  });

  it('curveFromHistory reads the validation metric epoch by epoch', () => {
    const history = [
      { epoch: 2, train: { loss: 0.5 }, val: { loss: 0.7, shape_acc: 0.8 } },
      { epoch: 1, train: { loss: 0.9 }, val: { loss: 1.1, shape_acc: 0.5 } },
    ];
    expect(curveFromHistory('t', history, 'val_loss')).toEqual({ trialId: 't', values: [1.1, 0.7] });
    expect(curveFromHistory('t', history, 'val_shape_acc').values).toEqual([0.5, 0.8]);
    expect(curveFromHistory('t', history, 'val_colour_acc').values).toEqual([Number.NaN, Number.NaN]);
  });

  it('decides the same through schedulerDecisionAt from each trial’s best so far at the epoch', () => {
    const spec = {
      kind: 'median',
      metric: 'val_loss',
      direction: 'minimize',
      gracePeriod: 2,
      minTrials: 2,
    } as const;
    const others = [curve('a', 1, 0.5), curve('b', 2, 3), curve('c', 4, 0.2), curve('d', 1)];
    for (const own of [curve('t', 3, 2.5), curve('t', 0.1, 3), curve('t', 3)]) {
      const epoch = own.values.length;
      const best = (c: TrialCurve) => Math.min(...c.values.slice(0, epoch));
      const peers = others
        .filter((c) => c.values.length >= epoch)
        .map((c) => ({ trialId: c.trialId, value: best(c) }));
      expect(schedulerDecisionAt(spec, epoch, { trialId: 't', value: best(own) }, peers)).toEqual(
        schedulerDecision(spec, own, others),
      );
    }
  });
});
