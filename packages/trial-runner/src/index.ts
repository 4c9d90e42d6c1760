export {
  completedRunRecord,
  confusionMatrices,
  evaluateTrial,
  headlineMetrics,
  manifestSha256,
  type RunRecordHeaderInput,
  runRecordHeader,
} from './evaluate-trial.js';
export {
  runTrial,
  type TrialPhase,
  type TrialRun,
  type TrialRunHooks,
  type TrialRunResult,
} from './run-trial.js';
export { TrialDir } from './trial-dir.js';
