export { readTrainerEnv, type TrainerEnv, trainerEnvSchema } from './env.js';
export { DatasetNotReadyError } from './errors.js';
export { runSweepTrial, type TrialContext } from './sweep-trial.js';
export { createTrainerWorker, type TrainerWorker, type TrainerWorkerDeps } from './trainer-worker.js';
