// `@repo/model/config`: the model package's schemas and names without TF.js, for code that plans or
// checks trials but never trains (`@repo/sweep`, `@repo/contracts`, the CLI's light verbs).

export {
  ARCHITECTURE_NAMES,
  type ArchitectureName,
  headsOf,
  isArchitectureName,
  isModelName,
  isSingleTaskArchitectureName,
  MODEL_NAMES,
  type ModelName,
  SHARES_LAYERS,
  SINGLE_TASK_ARCHITECTURE_NAMES,
  SINGLE_TASK_ARCHITECTURES,
  type SingleTaskArchitectureName,
} from './architectures/architecture-names.js';
export {
  type ArchitectureOptions,
  type ArchitectureOptionsInput,
  architectureOptionsSchema,
} from './architectures/architecture-options.js';
export { fitsImageSize, minImageSize } from './architectures/layouts.js';
export {
  BACKEND_NAMES,
  BACKEND_PREFERENCES,
  type BackendName,
  type BackendPreference,
} from './backend/backend-names.js';
export { TrialConfigError } from './errors.js';
export { HEAD_NAMES, type HeadName } from './heads.js';
export { type HistoryEntry, METRIC_NAMES, type MetricName } from './history.js';
export {
  DEFAULT_LOSS_WEIGHTING,
  LOSS_WEIGHTING_KINDS,
  type LossWeighting,
  type LossWeightingInput,
  type LossWeightingKind,
  type LossWeights,
  lossWeightingSchema,
} from './loss-weighting-config.js';
export {
  type EarlyStoppingConfig,
  type FineTuneConfig,
  type ReduceLrOnPlateauConfig,
  type TrainConfig,
  type TrainConfigInput,
  trainConfigSchema,
} from './train-config.js';
export {
  fineTuneProblem,
  LOSS_WEIGHTS_SHORTHAND,
  parseTrialConfig,
  type TrialSetup,
  weightingProblem,
  zeroWeightProblem,
} from './trial-config.js';
