import { access } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ArtifactLayout, TrialJob, TrialProgress, TrialSummary } from '@repo/contracts';
import { type Dataset, MANIFEST_FILE, ManifestError, openDataset } from '@repo/dataset';
import {
  type BackendName,
  buildModel,
  countParams,
  fineTune,
  parseTrialConfig,
  saveModel,
  type TrainHooks,
  type TrialSetup,
  train,
} from '@repo/model';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Logger } from 'pino';
import type { AttemptClock } from './attempt-clock.js';
import { DatasetNotReadyError } from './errors.js';
import {
  completedRunRecord,
  confusionMatrices,
  evaluateTrial,
  headlineMetrics,
  manifestSha256,
} from './evaluate-trial.js';
import { TrialDir } from './trial-dir.js';

export interface TrialContext {
  layout: ArtifactLayout;
  /** The BullMQ job id, for messages. */
  jobId: string;
  backend: BackendName;
  /** Started when the attempt did: its timing goes into the summary. */
  attempt: AttemptClock;
  /** Aborting (worker shutting down) stops training at the next batch; the last checkpoint stays. */
  signal?: AbortSignal;
  /** Called between batches; exits the process when its worker is gone (see orphan-guard). */
  checkOrphaned: () => void;
  /** Awaited before every write to the trial directory; throws once the trial is another worker's. */
  confirmLease: () => Promise<void>;
  onProgress: (progress: TrialProgress) => Promise<void>;
  log: Logger;
}

/**
 * One trial: opens its dataset, builds the model, trains (resuming from the epoch checkpoint in the
 * trial directory when there is one), optionally fine-tunes the position head, evaluates on the test
 * split, and records the trial directory. A trial already recorded returns its summary unchanged.
 */
export async function runTrial(trial: TrialJob, context: TrialContext): Promise<TrialSummary> {
  const dir = new TrialDir(context.layout.trialDir(trial.sweepId, trial.trialId));
  const recorded = await dir.recorded();
  if (recorded) {
    context.log.info('trial already recorded; returning its summary');
    return recorded;
  }
  const datasetDir = context.layout.datasetDir(trial.datasetId);
  const manifestFile = join(datasetDir, MANIFEST_FILE);
  if (!(await exists(manifestFile))) throw new DatasetNotReadyError(trial.datasetId, manifestFile);

  const setup = parseTrialConfig(trial.config, { imageSize: trial.dataset.imageSize, seed: trial.seed });
  const dataset = await openDataset(datasetDir);
  if (dataset.manifest.datasetId !== trial.datasetId) {
    throw new ManifestError(
      manifestFile,
      `holds dataset ${dataset.manifest.datasetId}, not ${trial.datasetId}`,
    );
  }
  await dir.create();
  const model = buildModel(setup.arch, setup.architecture);
  try {
    const { trained, tuned, trainMs } = await fit(model, dataset, setup, dir, context);
    // The test split is read only now: it never feeds training, early stopping or fine-tuning.
    const { evaluation, predictions } = evaluateTrial(model, await dataset.readSplit('test'));

    await context.confirmLease();
    await dir.writeModel((modelDir) => saveModel(model, modelDir));
    await dir.writeJson('history.json', { train: trained.history, fineTune: tuned?.history });
    await dir.writeJson('confusion.json', confusionMatrices(evaluation));
    await dir.writeJson('predictions.json', predictions);
    const record = completedRunRecord({
      trial,
      runId: context.jobId,
      manifestSha256: await manifestSha256(context.layout, trial.datasetId),
      backend: context.backend,
      startedAt: context.attempt.startedAt,
      history: trained.history,
      fineTuneHistory: tuned?.history,
      evaluation,
      modelPath: relative(context.layout.root, dir.modelDir),
      parameters: countParams(model),
    });
    const summary: TrialSummary = {
      sweepId: trial.sweepId,
      trialId: trial.trialId,
      runFile: relative(context.layout.root, dir.runFile),
      epochs: trained.history.length,
      bestEpoch: trained.bestEpoch,
      stoppedEarly: trained.stoppedEarly,
      resumedEpochs: trained.resumedEpochs,
      test: headlineMetrics(record),
      trainMs,
      ...context.attempt.usage(),
    };
    // summary.json first: run.json's presence means the trial is complete (see TrialDir).
    await dir.writeJson('summary.json', summary);
    await dir.writeJson('run.json', record);
    await dir.dropCheckpoints();
    return summary;
  } finally {
    model.dispose();
  }
}

/**
 * Trains (and fine-tunes, when asked) on the train split, early-stopping on val. The two splits live
 * only in this call, so their memory is free again before the test split is read.
 */
async function fit(
  model: LayersModel,
  dataset: Dataset,
  setup: TrialSetup,
  dir: TrialDir,
  context: TrialContext,
) {
  const splits = { train: await dataset.readSplit('train'), val: await dataset.readSplit('val') };
  const hooks = (phase: TrialProgress['phase'], checkpointFile: string): TrainHooks => ({
    signal: context.signal,
    checkpointFile,
    beforeCheckpoint: context.confirmLease,
    onBatch: context.checkOrphaned,
    onEpoch: (entry, progress) =>
      context.onProgress({ phase, ...progress, train: entry.train, val: entry.val }),
  });
  const started = Date.now();
  const trained = await train(model, splits, setup.train, hooks('train', dir.trainCheckpoint));
  context.log.info({ epochs: trained.history.length, resumedEpochs: trained.resumedEpochs }, 'trained');
  const tuned = setup.train.fineTune
    ? await fineTune(model, splits, setup.train, hooks('fine-tune', dir.fineTuneCheckpoint))
    : undefined;
  return { trained, tuned, trainMs: Date.now() - started };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
