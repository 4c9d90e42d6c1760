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

/** ASHA's settings (see SweepSpec's scheduler). */
export interface AshaOptions {
  metric: ObjectiveMetric;
  direction: Direction;
  /** η: each rung keeps the top 1/η of the trials that reached it. */
  reductionFactor: number;
  /** First rung when `milestones` is absent; rungs are gracePeriod·η^k. */
  gracePeriod: number;
  /** Explicit rungs (epochs), if given. */
  milestones?: readonly number[];
}

/** Whether `epoch` is a rung. */
export function isRung(options: AshaOptions, epoch: number): boolean {
  if (options.milestones !== undefined) return options.milestones.includes(epoch);
  for (let rung = options.gracePeriod; rung <= epoch; rung *= options.reductionFactor) {
    if (rung === epoch) return true;
  }
  return false;
}

/**
 * Asynchronous successive halving, as a stopping rule: when a trial finishes a rung epoch, it ranks
 * among every trial that has reached that rung by its best value up to the rung (ties broken by trial
 * id); the top ⌈n/η⌉ go on, the rest stop. Between rungs every trial goes on. Pure: the decision
 * depends only on the curves given (see `ashaAtEpoch` for the same rule on rung values alone).
 */
export function ashaDecision(
  options: AshaOptions,
  trial: TrialCurve,
  others: readonly TrialCurve[],
): SchedulerDecision {
  const epoch = trial.values.length;
  return ashaAtEpoch(
    options,
    epoch,
    rungValue(trial, epoch, options.direction),
    peersAt(others, trial, epoch, options.direction),
  );
}

/**
 * ASHA at `epoch` from rung values only: `own` is the trial's best value up to the epoch, `peers` the
 * same for every other trial that has reached it (what a trainer reads from the sweep's store).
 */
export function ashaAtEpoch(
  options: AshaOptions,
  epoch: number,
  own: RungValue,
  peers: readonly RungValue[],
): SchedulerDecision {
  if (!isRung(options, epoch)) {
    return { action: 'continue', epoch, reason: `epoch ${epoch} is not a rung (${describeRungs(options)})` };
  }
  const others = peers.filter((peer) => peer.trialId !== own.trialId);
  const ahead = others.filter(
    (peer) =>
      isBetter(peer.value, own.value, options.direction) ||
      (sameRank(peer.value, own.value, options.direction) && peer.trialId < own.trialId),
  ).length;
  const reached = others.length + 1;
  const keep = Math.ceil(reached / options.reductionFactor);
  const rank = ahead + 1;
  const action = rank <= keep ? 'continue' : 'stop';
  return {
    action,
    epoch,
    reason:
      `rung ${epoch}: best ${options.metric} ${show(own.value)} ranks ${rank} of ${reached} trial${reached === 1 ? '' : 's'} ` +
      `at this rung; the top ${keep} (1/${options.reductionFactor}) go on`,
  };
}

function sameRank(a: number, b: number, direction: Direction): boolean {
  return !isBetter(a, b, direction) && !isBetter(b, a, direction);
}

function describeRungs(options: AshaOptions): string {
  if (options.milestones !== undefined) return `rungs: ${options.milestones.join(', ')}`;
  const first = options.gracePeriod;
  const eta = options.reductionFactor;
  return `rungs: ${first}, ${first * eta}, ${first * eta * eta}, …`;
}
