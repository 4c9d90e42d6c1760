import { relative } from 'node:path';
import type { Dataset } from '@repo/dataset';
import type { CompletedRunRecord, Evaluation, RunRecord } from '@repo/metrics';
import {
  type BackendName,
  buildModel,
  countParams,
  type EpochProgress,
  fineTune,
  type HistoryEntry,
  saveModel,
  type TrainHooks,
  type TrainResult,
  type TrialSetup,
  train,
} from '@repo/model';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { completedRunRecord, confusionMatrices, evaluateTrial, manifestSha256 } from './evaluate-trial.js';
import type { TrialDir } from './trial-dir.js';

/** The two training phases of a trial. */
export type TrialPhase = 'train' | 'fine-tune';

/** One trial to run, typed: its config was validated once, where the trial was taken. */
export interface TrialRun {
  /** Identifies the run record: a sweep trial's BullMQ job id, or the run directory's name (`mtl train`). */
  runId: string;
  sweepId?: string;
  /** The trial's flat config as planned, recorded as is; its seed is `setup.train.seed`, recorded beside it. */
  config: RunRecord['config'];
  /** `parseTrialConfig(config, { imageSize, seed })`. */
  setup: TrialSetup;
  dataset: Dataset;
  dir: TrialDir;
  /** The record's `modelPath` is relative to this: ARTIFACTS_DIR for a sweep, the run directory for `mtl train`. */
  root: string;
  backend: BackendName;
  /** When the run started (its first attempt, or this one: the caller's choice). */
  startedAt: Date;
}

export interface TrialRunHooks {
  /** Aborting stops training at the next batch (`TrainingAbortedError`); the last epoch checkpoint stays. */
  signal?: AbortSignal;
  /** Called between batches. */
  onBatch?: () => void;
  /**
   * Awaited before every write to the trial directory (each epoch checkpoint, each result file, the
   * checkpoints' removal): a sweep's trainer confirms there that the trial is still its own, and throws
   * if not. `beforeRecord` calls it itself for the files it writes.
   */
  beforeWrite?: () => Promise<void>;
  /** Named in every epoch checkpoint written (`CheckpointState.writer`). */
  checkpointWriter?: string;
  /** Called after every epoch of either phase, awaited (a sweep's scheduler may stop the trial here). */
  onEpoch?: (phase: TrialPhase, entry: HistoryEntry, progress: EpochProgress) => void | Promise<void>;
  /** Called once the model is built, before training. */
  onStart?: (model: LayersModel, data: { train: number; val: number }) => void;
  /** Called with the result before run.json is written; files written here land before the run counts as recorded. */
  beforeRecord?: (result: TrialRunResult) => Promise<void>;
}

export interface TrialRunResult {
  record: CompletedRunRecord;
  trained: TrainResult;
  tuned?: TrainResult;
  evaluation: Evaluation;
  /** Wall time of training and fine-tuning. */
  trainMs: number;
}

/**
 * Runs one trial, the same for a sweep's trainer and for `mtl train`: builds the model, trains on the
 * train split early-stopping on val (resuming from the epoch checkpoint in the trial directory when
 * there is one), fine-tunes the position head when the config asks, evaluates once on the test split,
 * and records the trial directory (model, history.json, confusion.json, predictions.json, then
 * run.json last). The test split is read only after training: it never feeds training, early
 * stopping or fine-tuning.
 */
export async function runTrial(run: TrialRun, hooks: TrialRunHooks = {}): Promise<TrialRunResult> {
  const { dir, setup, dataset } = run;
  await dir.create();
  const model = buildModel(setup.arch, setup.architecture);
  try {
    const { trained, tuned, trainMs } = await fit(model, run, hooks);
    const { evaluation, predictions } = evaluateTrial(model, await dataset.readSplit('test'));
    // Each write proves first that the trial is still this run's: a lease lost in between stops the rest.
    const fenced = async (write: () => Promise<void>) => {
      await hooks.beforeWrite?.();
      await write();
    };
    await fenced(() => dir.writeModel((modelDir) => saveModel(model, modelDir)));
    await fenced(() => dir.writeJson('history.json', { train: trained.history, fineTune: tuned?.history }));
    await fenced(() => dir.writeJson('confusion.json', confusionMatrices(evaluation)));
    await fenced(() => dir.writeJson('predictions.json', predictions));
    const record = completedRunRecord({
      runId: run.runId,
      ...(run.sweepId !== undefined ? { sweepId: run.sweepId } : {}),
      config: run.config,
      seed: setup.train.seed,
      datasetId: dataset.manifest.datasetId,
      manifestSha256: await manifestSha256(dataset.dir),
      backend: run.backend,
      startedAt: run.startedAt,
      history: trained.history,
      fineTuneHistory: tuned?.history,
      evaluation,
      modelPath: relative(run.root, dir.modelDir),
      parameters: countParams(model),
    });
    const result: TrialRunResult = { record, trained, ...(tuned ? { tuned } : {}), evaluation, trainMs };
    await hooks.beforeRecord?.(result);
    await fenced(() => dir.writeJson('run.json', record));
    await fenced(() => dir.dropCheckpoints());
    return result;
  } finally {
    model.dispose();
  }
}

/**
 * Trains (and fine-tunes, when asked) on the train split, early-stopping on val. The two splits live
 * only in this call, so their memory is free again before the test split is read.
 */
async function fit(model: LayersModel, run: TrialRun, hooks: TrialRunHooks) {
  const { dataset, setup, dir } = run;
  const splits = { train: await dataset.readSplit('train'), val: await dataset.readSplit('val') };
  hooks.onStart?.(model, { train: splits.train.count, val: splits.val.count });
  const phaseHooks = (phase: TrialPhase, checkpointFile: string): TrainHooks => ({
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    checkpointFile,
    ...(hooks.beforeWrite ? { beforeCheckpoint: hooks.beforeWrite } : {}),
    ...(hooks.checkpointWriter !== undefined ? { checkpointWriter: hooks.checkpointWriter } : {}),
    ...(hooks.onBatch ? { onBatch: hooks.onBatch } : {}),
    onEpoch: (entry, progress) => hooks.onEpoch?.(phase, entry, progress),
  });
  const started = Date.now();
  const trained = await train(model, splits, setup.train, phaseHooks('train', dir.trainCheckpoint));
  const tuned = setup.train.fineTune
    ? await fineTune(model, splits, setup.train, phaseHooks('fine-tune', dir.fineTuneCheckpoint))
    : undefined;
  return { trained, tuned, trainMs: Date.now() - started };
}
