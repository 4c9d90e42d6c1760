import * as tf from '@tensorflow/tfjs-core';
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
 * shape and colour. Shape: [3].
 */
export function headLosses(out: HeadOutputs, target: BatchTensors): tf.Tensor1D {
  return tf.stack([
    tf.mean(tf.abs(tf.sub(out.position, target.positions))),
    crossEntropy(out.shape, target.shapes),
    crossEntropy(out.colour, target.colours),
  ]) as tf.Tensor1D;
}

/**
 * Every metric of `METRIC_NAMES` as one tensor of shape [7] (so a step reads them back in one
 * transfer): the total `loss`, the heads' `losses` [3], the position MAE in pixels and the accuracies.
 */
export function stepMetrics(
  loss: tf.Scalar,
  losses: tf.Tensor1D,
  out: HeadOutputs,
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
    accuracy(out.shape, target.shapes),
    accuracy(out.colour, target.colours),
  ]) as tf.Tensor1D;
}
