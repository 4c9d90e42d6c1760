import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COLOURS, GENERATOR_VERSION, MANIFEST_FILE, SHAPES, type SplitData } from '@repo/dataset';
import {
  type CompletedRunRecord,
  type Evaluation,
  evaluateHeads,
  type HeadsInput,
  parseRunRecord,
  RUN_RECORD_FORMAT,
  RUN_RECORD_VERSION,
  type RunRecord,
  runMetrics,
  type SamplePredictions,
  samplePredictions,
} from '@repo/metrics';
import { backendThreads, type HistoryEntry, predict, runtimeVersions } from '@repo/model';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Scores the model's heads on the test split (predicting in batches), and keeps the first test
 * samples' predictions and every position error for reports (predictions.json). A single-task
 * baseline is scored on its one head; the heads it lacks are left out, not scored 0.
 */
export function evaluateTrial(
  model: LayersModel,
  test: SplitData,
): { evaluation: Evaluation; predictions: SamplePredictions } {
  const { positions, shapes, colours } = predict(model, test);
  const heads: HeadsInput = {
    imageSize: test.imageSize,
    ...(positions ? { position: { true: test.positions, pred: positions } } : {}),
    ...(shapes ? { shape: { true: test.shapes, pred: shapes, labels: SHAPES } } : {}),
    ...(colours ? { colour: { true: test.colours, pred: colours, labels: COLOURS } } : {}),
  };
  return { evaluation: evaluateHeads(heads), predictions: samplePredictions(heads) };
}

/** What identifies a run record: the run, its trial's config and seed, its data, the software, when. */
export interface RunRecordHeaderInput {
  /** The BullMQ job id of a sweep's trial; the run directory's name for `mtl train`. */
  runId: string;
  sweepId?: string;
  /** The trial's flat config as planned (its seed is `seed`, kept outside). */
  config: RunRecord['config'];
  seed: number;
  datasetId: string;
  /** sha256 of the dataset's manifest.json (which pins every shard). */
  manifestSha256: string;
  backend: string;
  startedAt: Date;
}

/** The fields every run record starts with, whatever its status (the trainer's and `mtl train`'s alike); it ends now. */
export function runRecordHeader(input: RunRecordHeaderInput) {
  return {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    runId: input.runId,
    ...(input.sweepId !== undefined ? { sweepId: input.sweepId } : {}),
    config: input.config,
    seed: input.seed,
    dataset: { id: input.datasetId, sha256: input.manifestSha256 },
    backend: input.backend,
    // Read from the live backend: the record is written in the process that trained.
    ...threadsInUse(),
    packages: { ...runtimeVersions(), '@repo/dataset generator': GENERATOR_VERSION },
    startedAt: input.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
  } as const;
}

function threadsInUse(): { threads?: number } {
  const threads = backendThreads();
  return threads === undefined ? {} : { threads };
}

/** sha256 of a dataset's manifest.json, for the run record. */
export async function manifestSha256(datasetDir: string): Promise<string> {
  const manifest = await readFile(join(datasetDir, MANIFEST_FILE));
  return createHash('sha256').update(manifest).digest('hex');
}

export interface RunRecordInput extends RunRecordHeaderInput {
  history: HistoryEntry[];
  fineTuneHistory?: HistoryEntry[];
  evaluation: Evaluation;
  /** The saved model, relative to ARTIFACTS_DIR. */
  modelPath: string;
  /** The model's weights (`countParams`): the cost reports weigh against accuracy. */
  parameters: number;
}

/** The trial's completed run record, validated against @repo/metrics' schema before it is written. */
export function completedRunRecord(input: RunRecordInput): CompletedRunRecord {
  const record: CompletedRunRecord = {
    ...runRecordHeader(input),
    status: 'completed',
    history: input.history,
    ...(input.fineTuneHistory ? { fineTuneHistory: input.fineTuneHistory } : {}),
    test: input.evaluation,
    modelPath: input.modelPath,
    parameters: input.parameters,
  };
  return parseRunRecord(record, input.runId) as CompletedRunRecord;
}

/** Headline test metrics for the job's summary. */
export function headlineMetrics(record: CompletedRunRecord): Record<string, number> {
  const metrics = runMetrics(record);
  const headline: Record<string, number> = {};
  for (const name of ['combined', 'shape_acc', 'colour_acc', 'position_mae_px']) {
    const value = metrics[name];
    if (value !== undefined) headline[name] = value;
  }
  return headline;
}

/**
 * The test confusion matrices (rows: true class, columns: predicted), for confusion.json: the
 * classification heads the model has (none for stl-position).
 */
export function confusionMatrices(evaluation: Evaluation) {
  const { shape, colour } = evaluation;
  return {
    ...(shape ? { shape: { labels: shape.labels, matrix: shape.confusion } } : {}),
    ...(colour ? { colour: { labels: colour.labels, matrix: colour.confusion } } : {}),
  };
}
