import { describe, expect, it } from 'vitest';
import { type AshaOptions, ashaAtEpoch, ashaDecision, isRung } from './asha.js';
import type { TrialCurve } from './trial-curve.js';

const options: AshaOptions = {
  metric: 'val_loss',
  direction: 'minimize',
  reductionFactor: 3,
  gracePeriod: 1,
};
const curve = (trialId: string, ...values: number[]): TrialCurve => ({ trialId, values });

describe('ASHA', () => {
  it('rungs are gracePeriod·η^k, or the explicit milestones', () => {
    expect([1, 2, 3, 4, 8, 9, 10, 27].filter((epoch) => isRung(options, epoch))).toEqual([1, 3, 9, 27]);
    expect(
      [1, 2, 4, 6, 8].filter((epoch) => isRung({ ...options, gracePeriod: 2, reductionFactor: 2 }, epoch)),
    ).toEqual([2, 4, 8]);
    expect([1, 2, 5].filter((epoch) => isRung({ ...options, milestones: [2, 5] }, epoch))).toEqual([2, 5]);
  });

  it('between rungs every trial goes on', () => {
    const decision = ashaDecision(options, curve('t1', 9, 9), [curve('t0', 1, 1), curve('t2', 1, 1)]);
    expect(decision).toEqual({
      action: 'continue',
      epoch: 2,
      reason: 'epoch 2 is not a rung (rungs: 1, 3, 9, …)',
    });
  });

  it('at a rung keeps the top ⌈n/η⌉ of the trials that reached it and stops the rest', () => {
    // Six trials reached epoch 3; best values up to epoch 3: t0 0.5, t1 0.6, t2 0.7, … t5 1.0.
    const trials = [0, 1, 2, 3, 4, 5].map((i) => curve(`t${i}`, 2, 1.5, 0.5 + i / 10));
    const decisions = trials.map((trial) => ashaDecision(options, trial, trials));
    expect(decisions.map((d) => d.action)).toEqual(['continue', 'continue', 'stop', 'stop', 'stop', 'stop']);
    expect(decisions[2]?.reason).toBe(
      'rung 3: best val_loss 0.7 ranks 3 of 6 trials at this rung; the top 2 (1/3) go on',
    );
  });

  it('judges by the best value up to the rung, and only against trials that reached it', () => {
    const late = curve('t9', 0.9, 0.2, 0.8); // its best by epoch 3 is 0.2
    const others = [curve('t0', 1, 0.5, 0.5), curve('t1', 1, 0.4, 0.4), curve('t2', 0.1, 0.1)];
    expect(ashaDecision(options, late, others)).toMatchObject({ action: 'continue', epoch: 3 });
    expect(ashaDecision(options, curve('t8', 0.9, 0.9, 0.9), others).reason).toMatch(/ranks 3 of 3/);
  });

  it('the first trial at a rung goes on; direction maximize ranks high values first', () => {
    expect(ashaDecision(options, curve('t0', 0.1), []).action).toBe('continue');
    const accuracy = { ...options, metric: 'val_shape_acc' as const, direction: 'maximize' as const };
    const trials = [curve('a', 0.9), curve('b', 0.5), curve('c', 0.7)];
    expect(trials.map((trial) => ashaDecision(accuracy, trial, trials).action)).toEqual([
      'continue',
      'stop',
      'stop',
    ]);
  });

  it('breaks ties by trial id, ranks NaN last, and is deterministic', () => {
    const halving = { ...options, reductionFactor: 2 };
    const trials = [
      curve('t1', 0.5),
      curve('t0', 0.5),
      curve('t2', Number.NaN),
      curve('t3', 0.6),
      curve('t4', 0.7),
    ];
    // Five trials, η 2: the top 3 go on (t0 before t1 on the tie, then t3); NaN ranks last.
    expect(trials.map((trial) => ashaDecision(halving, trial, trials).action)).toEqual([
      'continue',
      'continue',
      'stop',
      'continue',
      'stop',
    ]);
    const fifth = { ...options, reductionFactor: 5 }; // keeps only the best of five
    expect(trials.map((trial) => ashaDecision(fifth, trial, trials).action)).toEqual([
      'stop',
      'continue',
      'stop',
      'stop',
      'stop',
    ]);
    expect(ashaDecision(options, trials[0] as TrialCurve, trials)).toEqual(
      ashaDecision(options, trials[0] as TrialCurve, [...trials].reverse()),
    );
  });

  it('decides the same from rung values alone (each trial’s best up to the epoch) as from whole curves', () => {
    const others = [curve('t0', 3, 1, 2), curve('t2', 2, 2, 5), curve('t3', 4, 4, 4), curve('t4', 9)];
    for (const own of [curve('t1', 5, 0.5, 9), curve('t1', 5, 6, 7), curve('t1', 2, 2, 2)]) {
      const best = (c: TrialCurve) => Math.min(...c.values.slice(0, 3));
      const peers = others
        .filter((c) => c.values.length >= 3)
        .map((c) => ({ trialId: c.trialId, value: best(c) }));
      expect(ashaAtEpoch(options, 3, { trialId: 't1', value: best(own) }, peers)).toEqual(
        ashaDecision(options, own, others),
      );
    }
  });
});
