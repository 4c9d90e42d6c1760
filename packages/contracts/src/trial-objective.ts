import { validationValue } from '@repo/metrics';
import type { SweepObjective } from './sweep-plan.js';
import type { EpochMetrics } from './trial-record.js';

/**
 * A trial's best value of the sweep's objective after an epoch with validation metrics `val`, given
 * its best before (undefined for none); undefined while no epoch has the metric.
 */
export function bestObjective(
  previous: number | undefined,
  val: EpochMetrics,
  objective: SweepObjective,
): number | undefined {
  const value = validationValue(val, objective.metric);
  if (Number.isNaN(value)) return previous;
  if (previous === undefined) return value;
  return (objective.direction === 'minimize' ? value < previous : value > previous) ? value : previous;
}
