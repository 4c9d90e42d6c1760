export { SweepExtensionError, SweepSpecError, type SweepSpecIssue } from './errors.js';
export {
  type ExtensionContext,
  planExtension,
  type SweepExtension,
  type SweepExtensionRequest,
} from './extend-plan.js';
export {
  bestOf,
  DEFAULT_SWEEP_METRIC,
  isBetter,
  metricValue,
  OBJECTIVE_METRICS,
  type ObjectiveMetric,
} from './metrics.js';
export { PARAMETER_NAMES } from './parameter-checks.js';
export {
  DISTRIBUTION_KINDS,
  type Distribution,
  type DistributionKind,
  type JsonValue,
  type Parameter,
  type ParameterSpace,
} from './parameter-space.js';
export { loadSweepSpec, parseSweepSpec } from './parse-sweep-spec.js';
export {
  configurationCount,
  PLANNER_VERSION,
  type PlannedTrial,
  planSweep,
  type SweepPlan,
  suggestTrials,
  sweepId,
  type TrialResult,
} from './plan-sweep.js';
export { printable } from './printable.js';
export { renderPlan, renderTrialTable } from './render-plan.js';
export { createRng, type Rng } from './rng.js';
export { samplePoint, sampleValue } from './sample.js';
export { type AshaOptions, ashaAtEpoch, ashaDecision, isRung } from './schedulers/asha.js';
export {
  type MedianStoppingOptions,
  medianStoppingAtEpoch,
  medianStoppingDecision,
} from './schedulers/median-stopping.js';
export { schedulerDecision, schedulerDecisionAt } from './schedulers/scheduler-decision.js';
export {
  curveFromHistory,
  type RungValue,
  type SchedulerDecision,
  type TrialCurve,
} from './schedulers/trial-curve.js';
export {
  type AshaSettings,
  LARGE_LIMITS,
  MAX_DESCRIPTION,
  MAX_SHARDS,
  MAX_TRIALS,
  type SchedulerSpec,
  type SearchSpec,
  type SweepObjective,
  type SweepSpec,
  type SweepSpecOptions,
  validateSweepSpec,
} from './sweep-spec.js';
export { type Observation, suggest, type TpeOptions } from './tpe.js';
export { configOf, type ParameterPoint, pointOf, type TrialConfig } from './trial-config.js';
