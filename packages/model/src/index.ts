export { ARCHITECTURES, buildModel, countParams } from './architectures/architectures.js';
export { ArchitectureSizeError, UnknownArchitectureError } from './architectures/errors.js';
export { BackendUnavailableError } from './backend/errors.js';
export { type BackendOptions, backendThreads, initBackend } from './backend/init-backend.js';
export {
  measureTrainingThroughput,
  type ThroughputOptions,
  type ThroughputResult,
} from './backend/training-throughput.js';
export * from './config.js';
export {
  CheckpointError,
  ModelFileError,
  SavedModelError,
  TrainingAbortedError,
} from './errors.js';
export { fineTune, positionHeadLayers } from './fine-tune.js';
export { loadModel, MODEL_JSON, saveModel, WEIGHTS_BIN } from './model-io.js';
export { type Prediction, type PredictOptions, predict } from './predict.js';
export { runtimeVersions } from './runtime-versions.js';
export type { ImageSet } from './tensors.js';
export { train } from './train.js';
export type {
  BatchProgress,
  EpochProgress,
  TrainData,
  TrainHooks,
  TrainResult,
} from './training-loop.js';
