import { COLOURS, SHAPES } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { headOutputs } from './multi-task-loss.js';
import { type ImageSet, imageSizeOf, imageTensor } from './tensors.js';

/** What the model says about each image. */
export interface Prediction {
  /** Shape: [count, 2], (x, y) in pixels. */
  positions: Float32Array;
  /** Shape: [count, 3], softmax over SHAPES. */
  shapeProbs: Float32Array;
  /** Shape: [count, 6], softmax over COLOURS. */
  colourProbs: Float32Array;
  /** Shape: [count], argmax of shapeProbs. */
  shapes: Uint8Array;
  /** Shape: [count], argmax of colourProbs. */
  colours: Uint8Array;
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
  const out: Prediction = {
    positions: new Float32Array(images.count * 2),
    shapeProbs: new Float32Array(images.count * SHAPES.length),
    colourProbs: new Float32Array(images.count * COLOURS.length),
    shapes: new Uint8Array(images.count),
    colours: new Uint8Array(images.count),
  };
  for (let from = 0; from < images.count; from += batchSize) {
    const to = Math.min(images.count, from + batchSize);
    const [positions, shapeProbs, colourProbs] = tf.tidy(() => {
      const heads = headOutputs(
        model.apply(imageTensor(images, from, to), { training: false }) as tf.Tensor[],
      );
      return [tf.mul(heads.position, size), heads.shape, heads.colour];
    });
    out.positions.set(positions!.dataSync(), from * 2);
    out.shapeProbs.set(shapeProbs!.dataSync(), from * SHAPES.length);
    out.colourProbs.set(colourProbs!.dataSync(), from * COLOURS.length);
    tf.dispose([positions!, shapeProbs!, colourProbs!]);
  }
  fillArgmax(out.shapeProbs, SHAPES.length, out.shapes);
  fillArgmax(out.colourProbs, COLOURS.length, out.colours);
  return out;
}

function fillArgmax(probs: Float32Array, classes: number, labels: Uint8Array): void {
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    labels[i] = best;
  }
}
