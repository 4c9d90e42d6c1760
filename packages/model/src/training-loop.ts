import { createHash } from 'node:crypto';
import { batches, type SplitData } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { settleAdam } from './adam-state.js';
import type { TrainCheckpoint } from './checkpoint.js';
import { readLastGoodCheckpoint, writeCheckpointKeepingPrevious } from './checkpoint-fallback.js';
import { seedDropout } from './dropout-seeds.js';
import { EarlyStopping } from './early-stopping.js';
import { CheckpointError, TrainingAbortedError, TrialConfigError } from './errors.js';
import {
  gradientNorm,
  headGradients,
  lastSharedLayerVariables,
  sharedVariables,
  taskConflict,
} from './head-gradients.js';
import { HEAD_NAMES, type HeadName } from './heads.js';
import { type HistoryEntry, headMetricNames, MetricMeans, type MetricName } from './history.js';
import { plateauLearningRate, ScheduledAdam } from './learning-rate-schedule.js';
import { createLossWeighter, type LossWeighter } from './loss-weighting.js';
import type { LossWeighting } from './loss-weighting-config.js';
import { headLosses, modelHeads, presentHeadOutputs, stepMetrics } from './multi-task-loss.js';
import { deriveSeed } from './seeds.js';
import { type BatchTensors, batchTensors, disposeBatch, imageSizeOf } from './tensors.js';
import type { EarlyStoppingConfig, ReduceLrOnPlateauConfig } from './train-config.js';

/** The data of a run: train feeds the gradient steps, val drives early stopping. Never the test split. */
export interface TrainData {
  train: SplitData;
  val: SplitData;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  /** Best epoch so far (1-based). */
  bestEpoch: number;
  /** Learning rate this epoch ran at. */
  learningRate: number;
}

export interface BatchProgress {
  epoch: number;
  epochs: number;
  /** 1-based batch within the epoch. */
  batch: number;
  batches: number;
}

/** Observers and controls of a training run. All optional. */
export interface TrainHooks {
  /** Called after each epoch (after its checkpoint is written). */
  onEpoch?: (entry: HistoryEntry, progress: EpochProgress) => void | Promise<void>;
  /** Called after each gradient step. */
  onBatch?: (progress: BatchProgress) => void;
  /** Aborting stops before the next batch with a TrainingAbortedError; the last checkpoint stays. */
  signal?: AbortSignal;
  /**
   * Checkpoint file: if it exists the run resumes from it (it must belong to this run), and it is
   * rewritten atomically after every epoch. Default: no checkpoint.
   */
  checkpointFile?: string;
  /**
   * Awaited before each checkpoint write; throwing stops the run without writing (a trainer checks
   * here that its trial is still its own). Default: none.
   */
  beforeCheckpoint?: () => Promise<void>;
  /** Recorded in each checkpoint written (`CheckpointState.writer`). Default: none. */
  checkpointWriter?: string;
}

export interface TrainResult {
  history: HistoryEntry[];
  /** 1-based epoch with the lowest validation loss (its weights are in the model if restored). */
  bestEpoch: number;
  /** Early stopping ended the run before the last epoch. */
  stoppedEarly: boolean;
  /** Epochs that a checkpoint already held when this call started (0 for a fresh run). */
  resumedEpochs: number;
}

/** One optimisation phase (training or fine-tuning) over chosen variables. */
export interface Phase {
  /** Distinguishes phases in checkpoints and seeds. */
  name: 'train' | 'fine-tune';
  /** Variables that receive gradients; every other weight stays as it is. */
  variables: tf.Variable[];
  /** Forward pass in training mode (dropout on, batch-norm on batch statistics, updating its averages). */
  training: boolean;
  lossWeighting: LossWeighting;
  /** Initial learning rate. */
  learningRate: number;
  /** Lowers the rate on plateaus of the validation loss; absent: constant. */
  reduceLrOnPlateau?: ReduceLrOnPlateauConfig;
  batchSize: number;
  epochs: number;
  earlyStopping: EarlyStoppingConfig;
  seed: number;
  /** Measure task conflict after each epoch (when the heads share layers). */
  taskConflict: boolean;
}

/** The seed stream of task conflict's dropout masks (1 and 2 are the phases'). */
const CONFLICT_STREAM = 3;

/** Evaluation batches can be larger than training ones: no gradients are kept. */
const EVAL_BATCH = 64;

/** Runs a phase to its end (epochs or early stopping), resuming from and writing a checkpoint if asked. */
export async function runPhase(
  model: LayersModel,
  data: TrainData,
  phase: Phase,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const imageSize = imageSizeOf(model);
  const heads = modelHeads(model);
  checkWeightingFits(model.name, heads, phase.lossWeighting);
  const fingerprint = phaseFingerprint(model, data, phase);
  // tf.train.adam's defaults: beta1 0.9, beta2 0.999, the backend's epsilon.
  const optimizer = new ScheduledAdam(phase.learningRate, 0.9, 0.999);
  const weighter = createLossWeighter(phase.lossWeighting);
  const monitor = monitorWeights(phase.lossWeighting);
  const shared = weighter.needsHeadGradientNorms ? lastSharedLayerVariables(model) : [];
  // Conflict is between pairs of heads: a single-task model has none, so it records nothing.
  const backbone = phase.taskConflict && heads.length === HEAD_NAMES.length ? sharedVariables(model) : [];
  const recorded = headMetricNames(heads);
  let best: tf.Tensor[] = [];
  try {
    const resumed = hooks.checkpointFile
      ? await resume(hooks.checkpointFile, fingerprint, model, optimizer)
      : undefined;
    if (resumed) {
      best = resumed.bestWeights;
      if (resumed.state.lossWeighting) weighter.restore(resumed.state.lossWeighting);
    }
    const history = resumed ? [...resumed.state.history] : [];
    const stopping = new EarlyStopping(phase.earlyStopping, resumed?.state.earlyStopping);
    let finished = resumed?.state.finished ?? false;
    let stoppedEarly = finished && history.length < phase.epochs;

    for (let epoch = history.length + 1; !finished && epoch <= phase.epochs; epoch++) {
      const learningRate = plateauLearningRate(
        phase.learningRate,
        history.map((entry) => entry.val.loss ?? Number.NaN),
        phase.reduceLrOnPlateau,
      );
      optimizer.setLearningRate(learningRate);
      weighter.startEpoch(history);
      const context = { model, heads, phase, optimizer, weighter, shared, imageSize, hooks };
      const train = pick(await trainEpoch(context, data.train, epoch), recorded);
      await settleAdam(optimizer);
      const val = pick(evaluateSplit(model, data.val, monitor, imageSize), recorded);
      const weights = weighter.weights();
      const entry: HistoryEntry = {
        epoch,
        train,
        val,
        lossWeights: Object.fromEntries(
          heads.map((head) => [head, weights[HEAD_NAMES.indexOf(head)] as number]),
        ),
        ...(backbone.length > 0 ? { taskConflict: measureTaskConflict(context, data.train, backbone) } : {}),
      };
      history.push(entry);
      const { improved, stop } = stopping.update(epoch, val.loss);
      if (improved || best.length === 0) {
        tf.dispose(best);
        best = model.getWeights().map((w) => tf.keep(w.clone()));
      }
      finished = stop || epoch === phase.epochs;
      stoppedEarly = stop && epoch < phase.epochs;
      if (hooks.checkpointFile) {
        await hooks.beforeCheckpoint?.();
        await saveCheckpoint(hooks.checkpointFile, model, optimizer, best, {
          fingerprint,
          epoch,
          finished,
          earlyStopping: stopping.state,
          history,
          ...(hooks.checkpointWriter !== undefined ? { writer: hooks.checkpointWriter } : {}),
          lossWeighting: weighter.state(),
        });
      }
      await hooks.onEpoch?.(entry, {
        epoch,
        epochs: phase.epochs,
        bestEpoch: stopping.state.bestEpoch,
        learningRate,
      });
    }
    if (phase.earlyStopping.restoreBestWeights && best.length > 0) model.setWeights(best);
    return {
      history,
      bestEpoch: stopping.state.bestEpoch,
      stoppedEarly,
      resumedEpochs: resumed?.state.epoch ?? 0,
    };
  } finally {
    tf.dispose(best);
    optimizer.dispose();
    weighter.dispose();
  }
}

/**
 * Refuses a weighting a model with fewer than three heads cannot use: the learned and dynamic ones
 * balance the heads' losses against each other (an absent head's loss is 0: DWA's ratio would be 0/0,
 * an uncertainty log-variance would drift unopposed), and static weights that leave every present head
 * at 0 train nothing. Static weights of absent heads are ignored.
 */
function checkWeightingFits(name: string, heads: readonly HeadName[], weighting: LossWeighting): void {
  if (heads.length === HEAD_NAMES.length) return;
  if (weighting.kind !== 'static') {
    throw new TrialConfigError(
      'lossWeighting.kind',
      `${weighting.kind} balances the heads' losses against each other, and ${name} has only ${heads.join(', ')}; allowed: static`,
    );
  }
  if (heads.every((head) => weighting.weights[head] === 0)) {
    throw new TrialConfigError(
      `lossWeighting.weights.${heads[0]}`,
      `${name} trains only ${heads.join(', ')}, whose weight is 0: nothing would be learned`,
    );
  }
}

/** `metrics` with only the `names` the model's heads have (`loss` is always among them). */
function pick(
  metrics: Record<MetricName, number>,
  names: readonly MetricName[],
): { loss: number } & Record<string, number> {
  return { loss: metrics.loss, ...Object.fromEntries(names.map((name) => [name, metrics[name]])) };
}

/** What one epoch's steps work with. */
interface StepContext {
  model: LayersModel;
  /** The model's heads (`modelHeads`). */
  heads: HeadName[];
  phase: Phase;
  optimizer: tf.AdamOptimizer;
  weighter: LossWeighter;
  /** GradNorm's W: the last shared layer's kernel; empty for the other weightings. */
  shared: tf.Variable[];
  imageSize: number;
  hooks: TrainHooks;
}

/**
 * The weights of the validation `loss` that early stopping and the plateau schedule watch: the static
 * weights, or 1 each for a weighting that changes during training, so epochs compare on one scale.
 */
function monitorWeights(weighting: LossWeighting): number[] {
  return weighting.kind === 'static'
    ? HEAD_NAMES.map((head) => weighting.weights[head])
    : HEAD_NAMES.map(() => 1);
}

async function trainEpoch(
  context: StepContext,
  split: SplitData,
  epoch: number,
): Promise<Record<MetricName, number>> {
  const { model, phase, hooks } = context;
  const means = new MetricMeans();
  const count = Math.ceil(split.count / phase.batchSize);
  let step = 0;
  const phaseSeed = deriveSeed(phase.seed, phase.name === 'train' ? 1 : 2);
  for (const batch of batches(split, phase.batchSize, { shuffleSeed: deriveSeed(phaseSeed, epoch) })) {
    if (hooks.signal?.aborted) throw new TrainingAbortedError(epoch - 1);
    seedDropout(model, deriveSeed(phaseSeed, epoch, step));
    const tensors = batchTensors(batch, context.imageSize);
    try {
      means.add(trainStep(context, tensors), batch.count);
    } finally {
      disposeBatch(tensors);
    }
    step++;
    hooks.onBatch?.({ epoch, epochs: phase.epochs, batch: step, batches: count });
    // A step is synchronous work: yield so signal handlers and timers (which may abort) get to run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return means.result();
}

/** One gradient step on a batch (dropout already seeded); returns its metrics in METRIC_NAMES order. */
function trainStep(context: StepContext, tensors: BatchTensors): Float32Array {
  const { model, heads, phase, optimizer, weighter, shared, imageSize } = context;
  const norms = weighter.needsHeadGradientNorms
    ? headGradientNorms(model, tensors, phase.training, shared)
    : undefined;
  const autodiff = weighter.needsHeadGradientNorms
    ? phase.variables
    : [...phase.variables, ...weighter.variables];
  let metrics: tf.Tensor | undefined;
  let losses: tf.Tensor1D | undefined;
  const explicit: tf.Tensor[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      const out = presentHeadOutputs(
        model.apply(tensors.images, { training: phase.training }) as tf.Tensor[],
        heads,
      );
      const headLoss = headLosses(out, tensors);
      const loss = weighter.total(headLoss);
      losses = tf.keep(headLoss);
      metrics = tf.keep(stepMetrics(loss, headLoss, out, tensors, imageSize));
      return loss;
    }, autodiff);
    explicit.push(...weighter.variableGradients(losses!, norms));
    const gradients = [
      ...autodiff.map((v) => ({ name: v.name, tensor: grads[v.name]! })),
      ...explicit.map((tensor, i) => ({ name: weighter.variables[i]!.name, tensor })),
    ];
    optimizer.applyGradients(gradients);
    weighter.afterStep();
    tf.dispose([value, ...Object.values(grads)]);
    return metrics!.dataSync() as Float32Array;
  } finally {
    tf.dispose([metrics, losses, norms, ...explicit].filter((t) => t !== undefined));
  }
}

/** ‖∇_W L_k‖ for every head k on one batch, W the `shared` variables, in the step's own mode. Shape: [K]. */
function headGradientNorms(
  model: LayersModel,
  tensors: BatchTensors,
  training: boolean,
  shared: tf.Variable[],
): tf.Tensor1D {
  const gradients = headGradients(model, tensors, training, shared);
  try {
    return tf.tidy(() => tf.stack(gradients.map(gradientNorm)) as tf.Tensor1D);
  } finally {
    tf.dispose(gradients.flat());
  }
}

/**
 * Task conflict after an epoch on a fixed batch (the split's first images, in order, with the same
 * dropout masks every epoch), so epochs compare: see `taskConflict`.
 */
function measureTaskConflict(
  context: StepContext,
  split: SplitData,
  shared: tf.Variable[],
): Record<string, number> {
  const { model, phase, imageSize } = context;
  const first = batches(split, phase.batchSize).next();
  if (first.done) return {};
  seedDropout(model, deriveSeed(phase.seed, CONFLICT_STREAM));
  const tensors = batchTensors(first.value, imageSize);
  try {
    return taskConflict(model, tensors, phase.training, shared);
  } finally {
    disposeBatch(tensors);
  }
}

/** The metrics of a whole split in inference mode. */
export function evaluateSplit(
  model: LayersModel,
  split: SplitData,
  weights: readonly number[],
  imageSize: number,
): Record<MetricName, number> {
  const means = new MetricMeans();
  const heads = modelHeads(model);
  for (const batch of batches(split, EVAL_BATCH)) {
    const tensors = batchTensors(batch, imageSize);
    const values = tf.tidy(() => {
      const out = presentHeadOutputs(model.apply(tensors.images, { training: false }) as tf.Tensor[], heads);
      const losses = headLosses(out, tensors);
      return stepMetrics(tf.sum(tf.mul(losses, tf.tensor1d([...weights]))), losses, out, tensors, imageSize);
    });
    means.add(values.dataSync(), batch.count);
    values.dispose();
    disposeBatch(tensors);
  }
  return means.result();
}

async function resume(
  file: string,
  fingerprint: string,
  model: LayersModel,
  optimizer: tf.AdamOptimizer,
): Promise<TrainCheckpoint | undefined> {
  const checkpoint = await readLastGoodCheckpoint(file);
  if (checkpoint === undefined) return undefined;
  const owned = [...checkpoint.weights, ...checkpoint.optimizer.map(({ tensor }) => tensor)];
  try {
    if (checkpoint.state.fingerprint !== fingerprint) {
      throw new CheckpointError(file, 'belongs to another run (model, data or configuration differ)');
    }
    model.setWeights(checkpoint.weights);
    await optimizer.setWeights(checkpoint.optimizer);
  } catch (error) {
    tf.dispose(checkpoint.bestWeights);
    throw error;
  } finally {
    // The model's and optimizer's variables now hold their own references to these buffers.
    tf.dispose(owned);
  }
  return checkpoint;
}

async function saveCheckpoint(
  file: string,
  model: LayersModel,
  optimizer: tf.AdamOptimizer,
  bestWeights: tf.Tensor[],
  state: TrainCheckpoint['state'],
): Promise<void> {
  const slots = await optimizer.getWeights();
  try {
    await writeCheckpointKeepingPrevious(file, {
      state,
      weights: model.getWeights(),
      bestWeights,
      optimizer: slots,
    });
  } finally {
    // Only the iteration count is a new tensor; the moments are the optimizer's live variables.
    slots[0]?.tensor.dispose();
  }
}

/** What makes a checkpoint resumable by this call: the phase's settings, the weights' shapes, the data sizes. */
function phaseFingerprint(model: LayersModel, data: TrainData, phase: Phase): string {
  const description = {
    phase: { ...phase, variables: phase.variables.map((v) => v.shape) },
    weights: model.weights.map((w) => w.shape),
    data: [data.train.count, data.val.count, data.train.imageSize],
  };
  return createHash('sha256').update(JSON.stringify(description)).digest('hex');
}
