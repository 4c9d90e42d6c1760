import type { SchedulerSpec } from '../sweep-spec.js';
import { ashaAtEpoch, ashaDecision } from './asha.js';
import { medianStoppingAtEpoch, medianStoppingDecision } from './median-stopping.js';
import type { RungValue, SchedulerDecision, TrialCurve } from './trial-curve.js';

/**
 * The sweep's scheduler applied to a trial at its latest epoch, given the curves (same metric) of the
 * other trials of the sweep. Without a scheduler every trial goes on.
 */
export function schedulerDecision(
  scheduler: SchedulerSpec,
  trial: TrialCurve,
  others: readonly TrialCurve[],
): SchedulerDecision {
  switch (scheduler.kind) {
    case 'none':
      return { action: 'continue', epoch: trial.values.length, reason: 'no scheduler' };
    case 'asha':
      return ashaDecision(scheduler, trial, others);
    case 'median':
      return medianStoppingDecision(scheduler, trial, others);
  }
}

/**
 * The sweep's scheduler at `epoch` from rung values alone: `own` is the trial's best value up to the
 * epoch, `peers` the others' that reached it. What a trainer decides with after each epoch, reading
 * one epoch's values from the sweep's store instead of every trial's curve.
 */
export function schedulerDecisionAt(
  scheduler: SchedulerSpec,
  epoch: number,
  own: RungValue,
  peers: readonly RungValue[],
): SchedulerDecision {
  switch (scheduler.kind) {
    case 'none':
      return { action: 'continue', epoch, reason: 'no scheduler' };
    case 'asha':
      return ashaAtEpoch(scheduler, epoch, own, peers);
    case 'median':
      return medianStoppingAtEpoch(scheduler, epoch, own, peers);
  }
}
