export { readTrainerEnv, type TrainerEnv, trainerEnvSchema } from './env.js';
export { DatasetNotReadyError } from './errors.js';
export { runTrial, type TrialContext } from './run-trial.js';
export { createTrainerWorker, type TrainerWorker, type TrainerWorkerDeps } from './trainer-worker.js';
export { TrialDir } from './trial-dir.js';
