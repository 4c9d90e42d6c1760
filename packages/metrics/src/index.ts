export {
  type AggregateOptions,
  aggregateRuns,
  type BestRun,
  type HeadConfusion,
  type MetricSummary,
  type RunAggregate,
  type RunGroup,
  type RunInput,
  type RunListing,
} from './aggregate.js';
export { bootstrapMeanInterval } from './bootstrap.js';
export {
  type AverageMetrics,
  type ClassificationOptions,
  type ClassificationReport,
  type ClassMetrics,
  classificationReport,
  reportFromConfusion,
  type ZeroDivision,
} from './classification-report.js';
export {
  compareSamples,
  pairedComparison,
  type SampleComparison,
  type SeededValue,
  welchComparison,
} from './compare-samples.js';
export { canonicalJson } from './config-key.js';
export { type ConfusionMatrix, confusionMatrix, normaliseRows } from './confusion-matrix.js';
export { AggregationError, InvalidRunRecordError, MetricsInputError } from './errors.js';
export { type Evaluation, evaluateHeads, type HeadsInput } from './evaluate-heads.js';
export { describeConfig, formatMetricValue, formatParameterValue } from './format-values.js';
export { holmAdjust } from './holm.js';
export {
  combinedScore,
  compareByObjective,
  DEFAULT_OBJECTIVE,
  type Direction,
  defaultDirection,
  isRateMetric,
  type Objective,
  objectiveFor,
  reportObjectiveFor,
  validationValue,
} from './objective.js';
export {
  type ImportanceResult,
  type ParameterImportance,
  parameterImportance,
} from './parameter-importance.js';
export { type ParetoPoint, paretoFront } from './pareto.js';
export { type AxisErrors, type RegressionMetrics, regressionMetrics } from './regression.js';
export { type ConfusionRenderOptions, renderConfusionMatrix } from './render-confusion-matrix.js';
export { type LeaderboardRenderOptions, renderLeaderboard } from './render-leaderboard.js';
export { runMetrics } from './run-metrics.js';
export {
  type CompletedRunRecord,
  evaluationSchema,
  historyEntrySchema,
  parseRunRecord,
  RUN_RECORD_FORMAT,
  RUN_RECORD_VERSION,
  type RunRecord,
  type RunStatus,
  runRecordSchema,
  safeParseRunRecord,
} from './run-record.js';
export {
  PREDICTIONS_FORMAT,
  PREDICTIONS_VERSION,
  type SamplePredictions,
  samplePredictions,
  samplePredictionsSchema,
} from './sample-predictions.js';
export { type Interval, type SampleSummary, summariseSample } from './sample-summary.js';
export {
  analyseSharing,
  type SharingAnalysis,
  type SharingCost,
  type SharingRow,
  type SharingVerdictKind,
} from './sharing.js';
export { type SignedRankResult, signedRankTest } from './signed-rank.js';
export { mean, median, quantile, sampleStd } from './statistics.js';
export {
  analyseStudy,
  type ParetoChart,
  STUDY_METRICS,
  type StudyAnalysis,
  type StudyMetric,
  type StudyOptions,
  type VerdictRow,
} from './study-analysis.js';
export type { StudyGroup } from './study-group.js';
export { summariseTaskConflict, type TaskConflictRow } from './task-conflict.js';
export { type Align, renderTable as renderTextTable } from './text-table.js';
export { splitParameters } from './varying-parameters.js';
export { MIN_VERDICT_N, VERDICT_ALPHA, type Verdict, type VerdictKind, verdictFor } from './verdict.js';
