export {
  ARCHITECTURE_NAMES,
  type ArchitectureName,
  isArchitectureName,
} from './architectures/architecture-names.js';
export {
  type ArchitectureOptions,
  type ArchitectureOptionsInput,
  architectureOptionsSchema,
} from './architectures/architecture-options.js';
export { ARCHITECTURES, buildModel, countParams } from './architectures/architectures.js';
export { ArchitectureSizeError, UnknownArchitectureError } from './architectures/errors.js';
export {
  BACKEND_NAMES,
  BACKEND_PREFERENCES,
  type BackendName,
  type BackendPreference,
} from './backend/backend-names.js';
export { BackendUnavailableError } from './backend/errors.js';
export { initBackend } from './backend/init-backend.js';
export {
  measureTrainingThroughput,
  type ThroughputOptions,
  type ThroughputResult,
} from './backend/training-throughput.js';
export {
  CheckpointError,
  ModelFileError,
  SavedModelError,
  TrainingAbortedError,
  TrialConfigError,
} from './errors.js';
export { fineTune, positionHeadLayers } from './fine-tune.js';
export { type HistoryEntry, METRIC_NAMES, type MetricName } from './history.js';
export { loadModel, MODEL_JSON, saveModel, WEIGHTS_BIN } from './model-io.js';
export { type Prediction, type PredictOptions, predict } from './predict.js';
export { runtimeVersions } from './runtime-versions.js';
export type { ImageSet } from './tensors.js';
export { train } from './train.js';
export {
  type EarlyStoppingConfig,
  type FineTuneConfig,
  type LossWeights,
  type ReduceLrOnPlateauConfig,
  type TrainConfig,
  type TrainConfigInput,
  trainConfigSchema,
} from './train-config.js';
export type {
  BatchProgress,
  EpochProgress,
  TrainData,
  TrainHooks,
  TrainResult,
} from './training-loop.js';
export { parseTrialConfig, type TrialSetup } from './trial-config.js';
