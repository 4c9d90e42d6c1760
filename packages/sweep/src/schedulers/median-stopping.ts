import type { Direction } from '@repo/metrics';
import { isBetter, type ObjectiveMetric } from '../metrics.js';
import {
  peersAt,
  type RungValue,
  rungValue,
  type SchedulerDecision,
  show,
  type TrialCurve,
} from './trial-curve.js';

/** Median stopping's settings (see SweepSpec's scheduler). */
export interface MedianStoppingOptions {
  metric: ObjectiveMetric;
  direction: Direction;
  /** Epochs every trial trains before it can be stopped. */
  gracePeriod: number;
  /** Other trials that must have reached the epoch before a trial is judged there. */
  minTrials: number;
}

/**
 * Median stopping: after `gracePeriod` epochs, a trial whose best value so far is worse than the
 * median of the other trials' best values up to the same epoch stops (best against best: what each
 * would deliver if stopped now). Trials not yet at that epoch are left out; with fewer than
 * `minTrials` others there, the trial goes on. NaN counts as worse than any number.
 */
export function medianStoppingDecision(
  options: MedianStoppingOptions,
  trial: TrialCurve,
  others: readonly TrialCurve[],
): SchedulerDecision {
  const epoch = trial.values.length;
  return medianStoppingAtEpoch(
    options,
    epoch,
    rungValue(trial, epoch, options.direction),
    peersAt(others, trial, epoch, options.direction),
  );
}

/** Median stopping at `epoch` from best-so-far values only (`own`, and every other trial that reached the epoch). */
export function medianStoppingAtEpoch(
  options: MedianStoppingOptions,
  epoch: number,
  own: RungValue,
  peers: readonly RungValue[],
): SchedulerDecision {
  if (epoch < options.gracePeriod) {
    return {
      action: 'continue',
      epoch,
      reason: `epoch ${epoch} is within the grace period (${options.gracePeriod})`,
    };
  }
  const others = peers.filter((peer) => peer.trialId !== own.trialId);
  if (others.length < options.minTrials) {
    return {
      action: 'continue',
      epoch,
      reason: `${others.length} other trial${others.length === 1 ? ' has' : 's have'} reached epoch ${epoch}; ${options.minTrials} needed to judge`,
    };
  }
  const median = medianOf(
    others.map((peer) => peer.value),
    options.direction,
  );
  const worse = isBetter(median, own.value, options.direction);
  return {
    action: worse ? 'stop' : 'continue',
    epoch,
    reason:
      `best ${options.metric} ${show(own.value)} by epoch ${epoch} is ${worse ? 'worse than' : 'no worse than'} ` +
      `the median ${show(median)} of ${others.length} other trials`,
  };
}

/** The median, NaN ranked worst (so a few diverged trials do not drag it to NaN). */
function medianOf(values: readonly number[], direction: Direction): number {
  const sorted = [...values].sort((a, b) =>
    isBetter(a, b, direction) ? -1 : isBetter(b, a, direction) ? 1 : 0,
  );
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
