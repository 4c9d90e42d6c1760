import type { Direction } from '@repo/metrics';
import type { HistoryEntry } from '@repo/model/config';
import { bestOf, metricValue, type ObjectiveMetric } from '../metrics.js';

/** One trial's metric, epoch by epoch: `values[e - 1]` is its value after epoch e. */
export interface TrialCurve {
  trialId: string;
  values: readonly number[];
}

/** What a scheduler decided for a trial at its latest epoch, and why. */
export interface SchedulerDecision {
  action: 'continue' | 'stop';
  /** The epoch judged (the trial's latest). */
  epoch: number;
  /** One line a person can check, e.g. `rung 3: val_loss 0.41 ranks 4 of 5; the top 2 (1/3) go on`. */
  reason: string;
}

/** A trial's curve of one metric, from its training history. */
export function curveFromHistory(
  trialId: string,
  history: readonly HistoryEntry[],
  metric: ObjectiveMetric,
): TrialCurve {
  return {
    trialId,
    values: [...history].sort((a, b) => a.epoch - b.epoch).map((entry) => metricValue(entry, metric)),
  };
}

/** The trial's best value over its first `epoch` epochs (what it would deliver if stopped there). */
export function bestUntil(curve: TrialCurve, epoch: number, direction: Direction): number {
  return bestOf(curve.values.slice(0, epoch), direction);
}

/** A trial's best value of the metric up to an epoch: all a scheduler compares at that epoch. */
export interface RungValue {
  trialId: string;
  value: number;
}

/** The trial's rung value at `epoch`. */
export function rungValue(curve: TrialCurve, epoch: number, direction: Direction): RungValue {
  return { trialId: curve.trialId, value: bestUntil(curve, epoch, direction) };
}

/** The rung values at `epoch` of the other trials that have reached it. */
export function peersAt(
  others: readonly TrialCurve[],
  trial: TrialCurve,
  epoch: number,
  direction: Direction,
): RungValue[] {
  return others
    .filter((other) => other.trialId !== trial.trialId && other.values.length >= epoch)
    .map((other) => rungValue(other, epoch, direction));
}

/** A value for a reason line. */
export function show(value: number): string {
  return Number.isNaN(value) ? 'NaN' : Number(value.toPrecision(4)).toString();
}
