import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ArchitectureName } from '../architectures/architecture-names.js';
import { buildModel, countParams } from '../architectures/architectures.js';

/** Keras' clipping of probabilities before the log of the cross-entropy. */
const EPSILON = 1e-7;

/** What `measureTrainingThroughput` times. */
export interface ThroughputOptions {
  arch: ArchitectureName;
  /** Input side in pixels. Default 128. */
  imageSize?: number;
  /** Images per step. Default 16. */
  batchSize?: number;
  /** Width multiplier of the architecture's layers. Default 1. */
  widthMultiplier?: number;
  /** Timed steps; the median is reported. Default 10. */
  steps?: number;
  /** Untimed steps first (XNNPACK operator set-up, allocator growth). Default 2. */
  warmup?: number;
  /** Called after each timed step with its 1-based index, its wall-clock seconds and its CPU seconds. */
  onStep?: (step: number, seconds: number, cpuSeconds: number) => void;
}

export interface ThroughputResult {
  params: number;
  /** Batch size ÷ the median step time. */
  imagesPerSecond: number;
  /**
   * Batch size ÷ the median CPU time of a step (this process, user + system): the rate on a core of
   * its own, which wall-clock time hides when other processes share the cores (training is one thread).
   */
  imagesPerCpuSecond: number;
  /** Every timed step, in order. */
  stepSeconds: number[];
}

/** One synthetic batch. Shapes: images [b, S, S, 3], positions [b, 2], shapes [b, 3], colours [b, 6]. */
export interface SyntheticBatch {
  images: tf.Tensor4D;
  positions: tf.Tensor2D;
  shapes: tf.Tensor2D;
  colours: tf.Tensor2D;
}

export function syntheticBatch(batchSize: number, imageSize: number, seed = 1): SyntheticBatch {
  return tf.tidy(() => ({
    images: tf.randomUniform([batchSize, imageSize, imageSize, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    positions: tf.randomUniform([batchSize, 2], 0, 1, 'float32', seed + 1) as tf.Tensor2D,
    shapes: tf.oneHot(
      tf.randomUniform([batchSize], 0, 3, 'int32', seed + 2) as tf.Tensor1D,
      3,
    ) as tf.Tensor2D,
    colours: tf.oneHot(
      tf.randomUniform([batchSize], 0, 6, 'int32', seed + 3) as tf.Tensor1D,
      6,
    ) as tf.Tensor2D,
  }));
}

function crossEntropy(probs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.neg(
    tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), -1)),
  ) as tf.Scalar;
}

/**
 * A full training step as training does it: forward in training mode (batch-norm statistics,
 * dropout), MAE on position + cross-entropy on shape and colour, backward, Adam update. Returns
 * the loss; every other tensor it makes is freed.
 */
export function trainingStep(model: tfl.LayersModel, optimizer: tf.Optimizer, batch: SyntheticBatch): number {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = optimizer.minimize(
    () => {
      const [position, shape, colour] = model.apply(batch.images, { training: true }) as tf.Tensor[];
      if (position === undefined || shape === undefined || colour === undefined) {
        throw new Error('the model must have three outputs: position, shape, colour');
      }
      return tf.addN([
        tf.mean(tf.abs(tf.sub(position, batch.positions))),
        crossEntropy(shape, batch.shapes),
        crossEntropy(colour, batch.colours),
      ]) as tf.Scalar;
    },
    true,
    variables,
  );
  const value = loss?.dataSync()[0] ?? Number.NaN;
  loss?.dispose();
  return value;
}

/** Images per second of full training steps on the active backend (median of timed steps). */
export function measureTrainingThroughput(options: ThroughputOptions): ThroughputResult {
  const { arch, imageSize = 128, batchSize = 16, widthMultiplier = 1, steps = 10, warmup = 2 } = options;
  const model = buildModel(arch, { imageSize, widthMultiplier, seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const batch = syntheticBatch(batchSize, imageSize);
  try {
    for (let i = 0; i < warmup; i++) trainingStep(model, optimizer, batch);
    const stepSeconds: number[] = [];
    const cpuSeconds: number[] = [];
    for (let i = 1; i <= steps; i++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      trainingStep(model, optimizer, batch);
      const cpu = process.cpuUsage(cpuStarted);
      stepSeconds.push((performance.now() - started) / 1000);
      cpuSeconds.push((cpu.user + cpu.system) / 1e6);
      options.onStep?.(i, stepSeconds.at(-1) ?? 0, cpuSeconds.at(-1) ?? 0);
    }
    return {
      params: countParams(model),
      imagesPerSecond: batchSize / median(stepSeconds),
      imagesPerCpuSecond: batchSize / median(cpuSeconds),
      stepSeconds,
    };
  } finally {
    tf.dispose(Object.values(batch));
    optimizer.dispose();
    model.dispose();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
