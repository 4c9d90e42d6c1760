import { type Batch, COLOURS, SHAPES, type SplitData } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Images to feed the network: uint8 HWC, as a split holds them. `SplitData` is one. */
export type ImageSet = Pick<SplitData, 'imageSize' | 'count' | 'images'>;

/** A batch as tensors; the caller disposes them (`disposeBatch`). */
export interface BatchTensors {
  /** Shape: [batch, S, S, 3], float32 in [0, 1]. */
  images: tf.Tensor4D;
  /** Shape: [batch, 2], positions ÷ image size. */
  positions: tf.Tensor2D;
  /** Shape: [batch, 3], one-hot. */
  shapes: tf.Tensor2D;
  /** Shape: [batch, 6], one-hot. */
  colours: tf.Tensor2D;
}

export function batchTensors(batch: Batch, imageSize: number): BatchTensors {
  return tf.tidy(() => ({
    images: tf.tensor4d(batch.images, [batch.count, imageSize, imageSize, 3]),
    positions: tf.tensor2d(batch.positions, [batch.count, 2]),
    shapes: tf.oneHot(tf.tensor1d(batch.shapes, 'int32'), SHAPES.length) as tf.Tensor2D,
    colours: tf.oneHot(tf.tensor1d(batch.colours, 'int32'), COLOURS.length) as tf.Tensor2D,
  }));
}

export function disposeBatch(tensors: BatchTensors): void {
  tf.dispose([tensors.images, tensors.positions, tensors.shapes, tensors.colours]);
}

/** Images [from, to) of the set, ÷ 255. Shape: [to - from, S, S, 3]. */
export function imageTensor(set: ImageSet, from: number, to: number): tf.Tensor4D {
  const pixels = set.imageSize * set.imageSize * 3;
  const source = set.images.subarray(from * pixels, to * pixels);
  const values = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) values[i] = source[i]! / 255;
  return tf.tensor4d(values, [to - from, set.imageSize, set.imageSize, 3]);
}

/** Side of the model's square input. */
export function imageSizeOf(model: LayersModel): number {
  const size = model.inputs[0]?.shape[1];
  if (typeof size !== 'number') throw new Error('the model input must be [batch, S, S, 3] with a fixed S');
  return size;
}
