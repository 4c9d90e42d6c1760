import type { TrialSummary } from '@repo/contracts/records';
import {
  aggregateRuns,
  type CompletedRunRecord,
  canonicalJson,
  normaliseRows,
  type Objective,
  runMetrics,
  type SamplePredictions,
  safeParseRunRecord,
  samplePredictionsSchema,
} from '@repo/metrics';
import { histogram, histogramEdges } from './histogram.js';
import {
  type HeadMatrix,
  REPORT_VIEW_FORMAT,
  REPORT_VIEW_VERSION,
  type ReportView,
  type RunView,
} from './report-view.js';

/** A run as read from the artifact directory: its record, and its predictions.json when there is one. */
export interface RunSource {
  trialId: string;
  /** Where the record came from (named for invalid records). */
  source: string;
  record: unknown;
  predictions?: unknown;
}

type TrialReason = { trialId: string; reason: string };

export interface ReportViewInput {
  sweepId: string;
  /** Default: the sweep id. */
  name?: string;
  datasetId?: string;
  /** Trials planned; default the trials known from runs and the lists below. */
  trials?: number;
  /** Ranks configurations and runs. Default @repo/metrics' `combined`, minimised. */
  objective?: Objective;
  runs: readonly RunSource[];
  /** The trainers' summaries of completed trials; kept for those whose run record is valid. */
  completed?: readonly TrialSummary[];
  /** Trials that failed without a run record of their own. */
  failed?: readonly TrialReason[];
  stopped?: readonly { trialId: string; epochs: number; reason: string }[];
  cancelled?: readonly TrialReason[];
  /** Trials known not to have ended yet. */
  pending?: readonly string[];
  /** Default: now. */
  generatedAt?: Date;
}

/** Bins of the position error histograms (shared by every run, so they compare). */
const ERROR_BINS = 20;

/**
 * Aggregates a sweep's run records into its report view. Pure. A run's record decides where it goes:
 * completed (valid) → `runs` and the aggregate; failed, stopped by the scheduler or still running →
 * the matching list; invalid → `failed` with its issues.
 */
export function buildReportView(input: ReportViewInput): ReportView {
  const aggregate = aggregateRuns(
    input.runs.map(({ source, record }) => ({ source, json: record })),
    input.objective ? { objective: input.objective } : {},
  );
  const invalid = new Map(aggregate.invalid.map(({ source, issues }) => [source, issues]));
  const failed = [...(input.failed ?? [])];
  const stopped = [...(input.stopped ?? [])];
  const pending = [...(input.pending ?? [])];
  const listed = (trialId: string) =>
    [...failed, ...stopped].some((entry) => entry.trialId === trialId) || pending.includes(trialId);
  const completed: { run: RunSource; record: CompletedRunRecord; predictions?: SamplePredictions }[] = [];
  for (const run of input.runs) {
    const issues = invalid.get(run.source);
    const parsed = safeParseRunRecord(run.record, run.source);
    if (issues !== undefined || !parsed.ok) {
      if (!listed(run.trialId))
        failed.push({ trialId: run.trialId, reason: `invalid run record: ${(issues ?? []).join('; ')}` });
      continue;
    }
    const { record } = parsed;
    if (record.status === 'completed') {
      const predictions = samplePredictionsSchema.safeParse(run.predictions);
      completed.push({ run, record, ...(predictions.success ? { predictions: predictions.data } : {}) });
    } else if (listed(run.trialId)) {
      // The caller's list (from the queues) already says how this trial ended.
    } else if (record.status === 'failed') failed.push({ trialId: run.trialId, reason: record.error });
    else if (record.status === 'stopped-early-by-scheduler')
      stopped.push({ trialId: run.trialId, epochs: record.history.length, reason: record.reason ?? '' });
    else pending.push(run.trialId);
  }
  // A loop, not Math.max(...all): a sweep holds hundreds of thousands of errors, more than a call's arguments.
  let maxError = 0;
  for (const { predictions } of completed)
    for (const error of predictions?.positionErrorsPx ?? []) if (error > maxError) maxError = error;
  const edges = histogramEdges(maxError, ERROR_BINS);
  const runs = completed.map(({ run, record, predictions }) => runView(run, record, predictions, edges));
  const { metric, direction } = aggregate.objective;
  const sign = direction === 'minimize' ? 1 : -1;
  runs.sort(
    (a, b) =>
      sign * ((a.metrics[metric] ?? Number.NaN) - (b.metrics[metric] ?? Number.NaN)) ||
      a.trialId.localeCompare(b.trialId),
  );
  const cancelled = [...(input.cancelled ?? [])];
  const scored = new Set(runs.map((run) => run.trialId));
  const unfinished = pending.filter((trialId) => !scored.has(trialId));
  const known = new Set([
    ...scored,
    ...[...failed, ...stopped, ...cancelled].map((entry) => entry.trialId),
    ...unfinished,
  ]);
  return {
    format: REPORT_VIEW_FORMAT,
    version: REPORT_VIEW_VERSION,
    sweepId: input.sweepId,
    name: input.name ?? input.sweepId,
    ...(input.datasetId !== undefined ? { datasetId: input.datasetId } : datasetOf(completed)),
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    objective: aggregate.objective,
    counts: {
      trials: Math.max(input.trials ?? 0, known.size),
      completed: runs.length,
      stopped: stopped.length,
      failed: failed.length,
      cancelled: cancelled.length,
      pending: unfinished.length,
    },
    completed: (input.completed ?? []).filter((summary) => scored.has(summary.trialId)),
    stopped,
    failed,
    cancelled,
    pending: unfinished,
    aggregate,
    runs,
    hyperparameters: varyingKeys(runs.map((run) => run.config)),
  };
}

function datasetOf(completed: readonly { record: CompletedRunRecord }[]): { datasetId?: string } {
  const id = completed[0]?.record.dataset.id;
  return id === undefined ? {} : { datasetId: id };
}

function runView(
  run: RunSource,
  record: CompletedRunRecord,
  predictions: SamplePredictions | undefined,
  edges: number[],
): RunView {
  const { seed: configSeed, ...config } = record.config;
  const seed = record.seed ?? (typeof configSeed === 'number' ? configSeed : undefined);
  // A head the run lacks (a single-task baseline) stays absent: the page shows none of its figures.
  const head = (name: 'shape' | 'colour'): { shape?: HeadMatrix; colour?: HeadMatrix } => {
    const report = record.test[name];
    return report
      ? {
          [name]: {
            labels: report.labels,
            counts: report.confusion,
            normalised: normaliseRows(report.confusion),
          },
        }
      : {};
  };
  return {
    runId: record.runId,
    trialId: run.trialId,
    group: canonicalJson(config),
    config,
    ...(seed !== undefined ? { seed } : {}),
    metrics: runMetrics(record),
    imageSize: record.test.imageSize,
    ...(record.test.position ? { position: record.test.position } : {}),
    confusion: { ...head('shape'), ...head('colour') },
    history: record.history,
    ...(record.fineTuneHistory ? { fineTuneHistory: record.fineTuneHistory } : {}),
    ...(predictions
      ? {
          predictions: {
            samples: predictions.samples,
            ...(predictions.positionErrorsPx
              ? { errors: histogram(predictions.positionErrorsPx, edges) }
              : {}),
          },
        }
      : {}),
  };
}

/** Keys of `configs` with more than one distinct value (a key missing from a config counts as a value). */
function varyingKeys(configs: readonly Record<string, unknown>[]): string[] {
  const keys = new Set(configs.flatMap((config) => Object.keys(config)));
  return [...keys]
    .filter((key) => new Set(configs.map((config) => JSON.stringify(config[key] ?? null))).size > 1)
    .sort();
}
