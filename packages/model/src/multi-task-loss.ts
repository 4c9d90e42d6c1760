import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { HEAD_NAMES, type HeadName } from './heads.js';
import type { BatchTensors } from './tensors.js';

/** Keras' clipping of probabilities before the log of the cross-entropy. */
const EPSILON = 1e-7;

/** The network's three outputs, in the model's output order. */
export interface HeadOutputs {
  /** Shape: [batch, 2], positions ÷ image size. */
  position: tf.Tensor;
  /** Shape: [batch, 3], softmax. */
  shape: tf.Tensor;
  /** Shape: [batch, 6], softmax. */
  colour: tf.Tensor;
}

/** Splits `model.apply`'s output list into named heads (order: position, shape, colour). */
export function headOutputs(outputs: tf.Tensor | tf.Tensor[]): HeadOutputs {
  const [position, shape, colour] = Array.isArray(outputs) ? outputs : [outputs];
  if (position === undefined || shape === undefined || colour === undefined) {
    throw new Error('the model must have three outputs: position, shape, colour');
  }
  return { position, shape, colour };
}

/**
 * The heads a model has, in `HEAD_NAMES` order: all three, or one for a single-task baseline (its
 * outputs are named after its heads). Throws when an output is not a head or the order differs.
 */
export function modelHeads(model: Pick<LayersModel, 'outputNames' | 'name'>): HeadName[] {
  const heads = HEAD_NAMES.filter((head) => model.outputNames.includes(head));
  if (heads.length === 0 || heads.join() !== model.outputNames.join()) {
    throw new Error(
      `${model.name}: outputs ${model.outputNames.join(', ')} are not heads in the order ${HEAD_NAMES.join(', ')}`,
    );
  }
  return heads;
}

/** Names `model.apply`'s outputs after `heads` (from `modelHeads`); heads the model lacks are absent. */
export function presentHeadOutputs(
  outputs: tf.Tensor | tf.Tensor[],
  heads: readonly HeadName[],
): Partial<HeadOutputs> {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  return Object.fromEntries(heads.map((head, i) => [head, list[i]]));
}

/** Mean categorical cross-entropy of softmax probabilities against one-hot labels. Shape: []. */
function crossEntropy(probs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.neg(
    tf.mean<tf.Scalar>(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), -1)),
  );
}

function accuracy(probs: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.mean<tf.Scalar>(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(oneHot, -1)), 'float32'));
}

/**
 * Each head's loss, in `HEAD_NAMES` order: MAE on positions ÷ image size, categorical cross-entropy on
 * shape and colour. A head the model lacks has loss 0, so the per-head vectors keep their three
 * places and the absent head adds nothing to the objective or its gradients. Shape: [3].
 */
export function headLosses(out: Partial<HeadOutputs>, target: BatchTensors): tf.Tensor1D {
  return tf.stack([
    out.position ? tf.mean(tf.abs(tf.sub(out.position, target.positions))) : tf.scalar(0),
    out.shape ? crossEntropy(out.shape, target.shapes) : tf.scalar(0),
    out.colour ? crossEntropy(out.colour, target.colours) : tf.scalar(0),
  ]) as tf.Tensor1D;
}

/**
 * Every metric of `METRIC_NAMES` as one tensor of shape [7] (so a step reads them back in one
 * transfer): the total `loss`, the heads' `losses` [3], the position MAE in pixels and the accuracies.
 * The places of a head the model lacks hold placeholders that `headMetricNames` leaves out.
 */
export function stepMetrics(
  loss: tf.Scalar,
  losses: tf.Tensor1D,
  out: Partial<HeadOutputs>,
  target: BatchTensors,
  imageSize: number,
): tf.Tensor1D {
  const [position, shape, colour] = tf.unstack(losses) as [tf.Scalar, tf.Scalar, tf.Scalar];
  return tf.stack([
    loss,
    position,
    shape,
    colour,
    tf.mul(position, imageSize),
    out.shape ? accuracy(out.shape, target.shapes) : tf.scalar(Number.NaN),
    out.colour ? accuracy(out.colour, target.colours) : tf.scalar(Number.NaN),
  ]) as tf.Tensor1D;
}
