import type { SchedulerSpec } from '../sweep-spec.js';
import { ashaDecision } from './asha.js';
import { medianStoppingDecision } from './median-stopping.js';
import type { SchedulerDecision, TrialCurve } from './trial-curve.js';

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
