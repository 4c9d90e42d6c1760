import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { HEAD_NAMES } from './heads.js';
import { headLosses, headOutputs } from './multi-task-loss.js';
import type { BatchTensors } from './tensors.js';

type Layer = LayersModel['layers'][number];

/** The layers every output of the model depends on (the shared backbone), in model order. */
export function sharedLayers(model: LayersModel): Layer[] {
  const feeding = (name: string) => {
    const seen = new Set<Layer>();
    const stack = [model.getLayer(name)];
    while (stack.length > 0) {
      const layer = stack.pop()!;
      if (seen.has(layer)) continue;
      seen.add(layer);
      for (const node of layer.inboundNodes) stack.push(...node.inboundLayers);
    }
    return seen;
  };
  const sets = model.outputNames.map(feeding);
  return model.layers.filter((layer) => sets.every((set) => set.has(layer)));
}

/** Every trainable weight of the shared backbone (empty when the heads share no layer). */
export function sharedVariables(model: LayersModel): tf.Variable[] {
  return sharedLayers(model).flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
}

/**
 * GradNorm's W: the kernel of the last layer that every output depends on (for `mtl-seed`,
 * `block6_conv`). Throws when the heads share no layer with a kernel (`branches-seed`).
 */
export function lastSharedLayerVariables(model: LayersModel): tf.Variable[] {
  for (const layer of sharedLayers(model).reverse()) {
    const kernel = layer.trainableWeights.find((weight) => /kernel/.test(weight.name));
    if (kernel) return [kernel.read() as tf.Variable];
  }
  throw new Error(`${model.name}: the heads share no layer with a kernel, so GradNorm has no W`);
}

/**
 * ∇_W L_k for every head k (`HEAD_NAMES` order) on one batch, W the given variables, in the given
 * mode: one forward pass per head, with the dropout masks the model's layers are seeded with. The
 * batch-norm moving statistics those passes move are put back, so training goes on as if they had
 * not run. The caller disposes the gradients.
 */
export function headGradients(
  model: LayersModel,
  tensors: BatchTensors,
  training: boolean,
  variables: tf.Variable[],
): tf.Tensor[][] {
  const statistics = model.nonTrainableWeights;
  const saved = statistics.map((weight) => weight.read().clone());
  try {
    return HEAD_NAMES.map((_, k) => {
      const { value, grads } = tf.variableGrads(() => {
        const out = headOutputs(model.apply(tensors.images, { training }) as tf.Tensor[]);
        return tf.squeeze(tf.slice(headLosses(out, tensors), [k], [1])) as tf.Scalar;
      }, variables);
      value.dispose();
      return variables.map((v) => grads[v.name]!);
    });
  } finally {
    statistics.forEach((weight, i) => {
      weight.write(saved[i]!);
    });
    tf.dispose(saved);
  }
}

/** ‖g‖ of a gradient given as tensors. Shape: []. */
export function gradientNorm(gradient: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(gradient.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/** cos(a, b) = a·b / (‖a‖‖b‖) of two gradients over the same variables; 0 when either is 0. */
export function gradientCosine(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  return tf.tidy(() => {
    const dot = tf.addN(a.map((g, i) => tf.sum(tf.mul(g, b[i]!))));
    const norms = tf.mul(gradientNorm(a), gradientNorm(b));
    const [d, n] = [dot.dataSync()[0]!, norms.dataSync()[0]!];
    return n > 0 ? d / n : 0;
  });
}

/** The pairs of heads, named `position-shape`, `position-colour`, `shape-colour`. */
export const HEAD_PAIRS = HEAD_NAMES.flatMap((a, i) => HEAD_NAMES.slice(i + 1).map((b) => [a, b] as const));

/**
 * Task conflict on one batch: the cosine similarity between each pair of heads' gradients with
 * respect to the shared backbone's weights (−1: they pull the shared layers in opposite directions,
 * 0: unrelated, 1: the same way). By pair name.
 */
export function taskConflict(
  model: LayersModel,
  tensors: BatchTensors,
  training: boolean,
  shared: tf.Variable[],
): Record<string, number> {
  const gradients = headGradients(model, tensors, training, shared);
  try {
    return Object.fromEntries(
      HEAD_PAIRS.map(([a, b]) => [
        `${a}-${b}`,
        gradientCosine(gradients[HEAD_NAMES.indexOf(a)]!, gradients[HEAD_NAMES.indexOf(b)]!),
      ]),
    );
  } finally {
    tf.dispose(gradients.flat());
  }
}
