import { COLOURS, SHAPES } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { modelHeads, presentHeadOutputs } from './multi-task-loss.js';
import { type ImageSet, imageSizeOf, imageTensor } from './tensors.js';

/**
 * What the model says about each image, for the heads it has: a single-task baseline's prediction
 * holds only its head's fields (the others are absent, never zeros).
 */
export interface Prediction {
  /** Shape: [count, 2], (x, y) in pixels. */
  positions?: Float32Array;
  /** Shape: [count, 3], softmax over SHAPES. */
  shapeProbs?: Float32Array;
  /** Shape: [count, 6], softmax over COLOURS. */
  colourProbs?: Float32Array;
  /** Shape: [count], argmax of shapeProbs. */
  shapes?: Uint8Array;
  /** Shape: [count], argmax of colourProbs. */
  colours?: Uint8Array;
}

/** Options of `predict`. */
export interface PredictOptions {
  /** Images per forward pass. Default 64. */
  batchSize?: number;
}

/** Runs the model in inference mode over uint8 images (e.g. a split), a batch at a time. */
export function predict(model: LayersModel, images: ImageSet, options: PredictOptions = {}): Prediction {
  const size = imageSizeOf(model);
  if (images.imageSize !== size) {
    throw new RangeError(
      `the model takes ${size}×${size} images, got ${images.imageSize}×${images.imageSize}`,
    );
  }
  const batchSize = options.batchSize ?? 64;
  const heads = modelHeads(model);
  const positions = heads.includes('position') ? new Float32Array(images.count * 2) : undefined;
  const shapeProbs = heads.includes('shape') ? new Float32Array(images.count * SHAPES.length) : undefined;
  const colourProbs = heads.includes('colour') ? new Float32Array(images.count * COLOURS.length) : undefined;
  for (let from = 0; from < images.count; from += batchSize) {
    const to = Math.min(images.count, from + batchSize);
    const out = tf.tidy(() => {
      const named = presentHeadOutputs(
        model.apply(imageTensor(images, from, to), { training: false }) as tf.Tensor[],
        heads,
      );
      return { ...named, ...(named.position ? { position: tf.mul(named.position, size) } : {}) };
    });
    if (out.position) positions?.set(out.position.dataSync(), from * 2);
    if (out.shape) shapeProbs?.set(out.shape.dataSync(), from * SHAPES.length);
    if (out.colour) colourProbs?.set(out.colour.dataSync(), from * COLOURS.length);
    tf.dispose(Object.values(out));
  }
  return {
    ...(positions ? { positions } : {}),
    ...(shapeProbs ? { shapeProbs, shapes: argmax(shapeProbs, SHAPES.length, images.count) } : {}),
    ...(colourProbs ? { colourProbs, colours: argmax(colourProbs, COLOURS.length, images.count) } : {}),
  };
}

function argmax(probs: Float32Array, classes: number, count: number): Uint8Array {
  const labels = new Uint8Array(count);
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    labels[i] = best;
  }
  return labels;
}
