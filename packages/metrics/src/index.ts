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
export {
  type AverageMetrics,
  type ClassificationOptions,
  type ClassificationReport,
  type ClassMetrics,
  classificationReport,
  reportFromConfusion,
  type ZeroDivision,
} from './classification-report.js';
export { canonicalJson } from './config-key.js';
export { type ConfusionMatrix, confusionMatrix, normaliseRows } from './confusion-matrix.js';
export { AggregationError, InvalidRunRecordError, MetricsInputError } from './errors.js';
export { type Evaluation, evaluateHeads, type HeadsInput } from './evaluate-heads.js';
export { describeConfig, formatMetricValue } from './format-values.js';
export { combinedScore, DEFAULT_OBJECTIVE, isRateMetric, type Objective, objectiveFor } from './objective.js';
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
export { mean, median } from './statistics.js';
