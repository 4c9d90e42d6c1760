import {
  aggregateRuns,
  type CompletedRunRecord,
  type ConfusionMatrix,
  canonicalJson,
  normaliseRows,
  type Objective,
  type RegressionMetrics,
  type RunAggregate,
  runMetrics,
  type SamplePredictions,
  safeParseRunRecord,
  samplePredictionsSchema,
} from '@repo/metrics';
import { type Histogram, histogram, histogramEdges } from './histogram.js';

/** One epoch as run records hold it. */
export interface EpochView {
  epoch: number;
  train: Record<string, number>;
  val: Record<string, number>;
}

/** A classification head's test confusion matrix, in counts and row-normalised. */
export interface HeadMatrix {
  labels: string[];
  counts: ConfusionMatrix;
  normalised: ConfusionMatrix;
}

/** One completed run, everything its page section shows. */
export interface RunView {
  runId: string;
  trialId: string;
  /** Key of its configuration's group in the leaderboard (canonical JSON of the config without seed). */
  group: string;
  config: Record<string, unknown>;
  seed?: number;
  /** Every flat metric of `runMetrics` (`combined`, `position_mae_px`, `shape_acc`, …). */
  metrics: Record<string, number>;
  /** Test images are imageSize × imageSize pixels. */
  imageSize: number;
  position: RegressionMetrics;
  confusion: { shape: HeadMatrix; colour: HeadMatrix };
  history: EpochView[];
  fineTuneHistory?: EpochView[];
  /** From the trial's predictions.json, when it has one: sample predictions, position error histogram. */
  predictions?: { samples: SamplePredictions['samples']; errors: Histogram };
}

/** A sample test image shared by every run of the sweep (they share one dataset). */
export interface SampleImage {
  /** Index in the test split. */
  index: number;
  /** A `data:image/png;base64,…` URL. */
  src: string;
}

/** Everything a sweep's report page shows; plain JSON, also what the page's charts read. */
export interface SweepView {
  sweepId: string;
  name: string;
  datasetId?: string;
  /** `running`, `completed`, … (the sweep status reader's, or derived from the trials). */
  state: string;
  /** When report.json was written, if it was. */
  reportedAt?: string;
  counts: { trials: number; completed: number; failed: number; pending: number; invalid: number };
  objective: Objective;
  /**
   * The completed runs aggregated by @repo/metrics: configurations best mean objective first (mean,
   * sample std, count of every metric; summed confusion matrices), best runs, invalid records.
   */
  aggregate: RunAggregate;
  /** Completed runs, best objective first. */
  runs: RunView[];
  failed: { trialId: string; reason: string }[];
  /** Trials not ended yet (running, waiting, or stopped by the scheduler). */
  pending: { trialId: string; status: string }[];
  /** Config keys whose values differ between runs: the axes of the hyperparameter view. */
  hyperparameters: string[];
  samples: { imageSize: number; images: SampleImage[] };
}

/** A run as read from the artifact directory: its record, and its predictions.json when there is one. */
export interface RunSource {
  trialId: string;
  /** Where the record came from (named for invalid records). */
  source: string;
  record: unknown;
  predictions?: unknown;
}

export interface SweepViewInput {
  sweepId: string;
  name?: string;
  datasetId?: string;
  /** Default: `running` while any trial is pending or running, else `completed`. */
  state?: string;
  reportedAt?: string;
  /** Trials planned; default the trials known from runs, failures and pending ones. */
  trials?: number;
  runs: readonly RunSource[];
  /** Trials that failed without a run record of their own (e.g. as report.json lists them). */
  failed?: readonly { trialId: string; reason: string }[];
  /** Trials known not to have ended yet. */
  pending?: readonly string[];
  samples?: { imageSize: number; images: SampleImage[] };
  /** Ranks configurations and runs. Default @repo/metrics' `combined`, minimised. */
  objective?: Objective;
}

/** Bins of the position error histograms (shared by every run, so they compare). */
const ERROR_BINS = 20;

/** Aggregates a sweep's run records into the view its page renders. Pure. */
export function buildSweepView(input: SweepViewInput): SweepView {
  const aggregate = aggregateRuns(
    input.runs.map(({ source, record }) => ({ source, json: record })),
    input.objective ? { objective: input.objective } : {},
  );
  const invalid = new Set(aggregate.invalid.map((entry) => entry.source));
  const completed: { run: RunSource; record: CompletedRunRecord; predictions?: SamplePredictions }[] = [];
  const failed = [...(input.failed ?? [])];
  const pending = (input.pending ?? []).map((trialId) => ({ trialId, status: 'pending' }));
  for (const run of input.runs) {
    const parsed = safeParseRunRecord(run.record, run.source);
    if (!parsed.ok || invalid.has(run.source)) continue;
    const { record } = parsed;
    if (record.status === 'completed') {
      const predictions = samplePredictionsSchema.safeParse(run.predictions);
      completed.push({ run, record, ...(predictions.success ? { predictions: predictions.data } : {}) });
    } else if (record.status === 'failed') {
      if (!failed.some((entry) => entry.trialId === run.trialId))
        failed.push({ trialId: run.trialId, reason: record.error });
    } else if (!pending.some((entry) => entry.trialId === run.trialId)) {
      pending.push({ trialId: run.trialId, status: record.status });
    }
  }
  const maxError = Math.max(
    0,
    ...completed.flatMap(({ predictions }) => predictions?.positionErrorsPx ?? []),
  );
  const edges = histogramEdges(maxError, ERROR_BINS);
  const runs = completed.map(({ run, record, predictions }) => runView(run, record, predictions, edges));
  const { metric, direction } = aggregate.objective;
  const sign = direction === 'minimize' ? 1 : -1;
  runs.sort(
    (a, b) =>
      sign * ((a.metrics[metric] ?? Number.NaN) - (b.metrics[metric] ?? Number.NaN)) ||
      a.trialId.localeCompare(b.trialId),
  );
  const known = new Set([...runs.map((run) => run.trialId), ...failed.map((f) => f.trialId)]);
  for (const entry of pending) known.add(entry.trialId);
  return {
    sweepId: input.sweepId,
    name: input.name ?? input.sweepId,
    ...(input.datasetId !== undefined ? { datasetId: input.datasetId } : {}),
    state: input.state ?? (pending.length > 0 ? 'running' : 'completed'),
    ...(input.reportedAt !== undefined ? { reportedAt: input.reportedAt } : {}),
    counts: {
      trials: Math.max(input.trials ?? 0, known.size),
      completed: runs.length,
      failed: failed.length,
      pending: pending.length,
      invalid: aggregate.invalid.length,
    },
    objective: aggregate.objective,
    aggregate,
    runs,
    failed,
    pending,
    hyperparameters: varyingKeys(runs.map((run) => run.config)),
    samples: input.samples ?? { imageSize: 0, images: [] },
  };
}

function runView(
  run: RunSource,
  record: CompletedRunRecord,
  predictions: SamplePredictions | undefined,
  edges: number[],
): RunView {
  const { seed: configSeed, ...config } = record.config;
  const seed = record.seed ?? (typeof configSeed === 'number' ? configSeed : undefined);
  const head = (report: CompletedRunRecord['test']['shape']): HeadMatrix => ({
    labels: report.labels,
    counts: report.confusion,
    normalised: normaliseRows(report.confusion),
  });
  return {
    runId: record.runId,
    trialId: run.trialId,
    group: canonicalJson(config),
    config,
    ...(seed !== undefined ? { seed } : {}),
    metrics: runMetrics(record),
    imageSize: record.test.imageSize,
    position: record.test.position,
    confusion: { shape: head(record.test.shape), colour: head(record.test.colour) },
    history: record.history,
    ...(record.fineTuneHistory ? { fineTuneHistory: record.fineTuneHistory } : {}),
    ...(predictions
      ? {
          predictions: {
            samples: predictions.samples,
            errors: histogram(predictions.positionErrorsPx, edges),
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
