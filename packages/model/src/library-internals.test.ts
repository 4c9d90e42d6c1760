import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from './backend/init-backend.js';
import { seedDropout } from './dropout-seeds.js';

// The tfjs-layers internals this package relies on where no public API exists (see dropout-seeds.ts,
// unfused-conv2d.ts, fast-batch-normalization.ts): if an upgrade renames or drops them, this fails.
beforeAll(() => initBackend('cpu'));

describe('tfjs-layers internals', () => {
  test('a Dropout reads its seed field on every call: set, it fixes the mask; changed, the mask changes', () => {
    const model = tf.sequential({ layers: [tf.layers.dropout({ inputShape: [64], rate: 0.5 })] });
    const masks = (seed: number) => {
      seedDropout(model, seed);
      return tfc.tidy(() => {
        const y = model.layers[0]!.apply(tfc.ones([1, 64]), { training: true }) as tfc.Tensor;
        return Array.from(y.dataSync());
      });
    };
    expect(Object.hasOwn(model.layers[0]!, 'seed')).toBe(true);
    expect(masks(1)).toEqual(masks(1));
    expect(masks(1)).not.toEqual(masks(2));
  });

  test('Conv2D keeps kernel, bias, strides, padding, dilation rate and activation as fields', () => {
    const conv = tf.layers.conv2d({
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    });
    conv.build([1, 8, 8, 3]);
    const fields = conv as unknown as Record<string, unknown>;
    expect((fields.kernel as { read(): tfc.Tensor }).read().shape).toEqual([3, 3, 3, 2]);
    expect((fields.bias as { read(): tfc.Tensor }).read().shape).toEqual([2]);
    expect(fields).toMatchObject({ strides: [2, 2], padding: 'same', dilationRate: [1, 1] });
    expect(typeof (fields.activation as { apply?: unknown }).apply).toBe('function');
  });

  test('BatchNormalization keeps axis, momentum, epsilon, gamma, beta and moving statistics as fields', () => {
    const norm = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 0.01 });
    norm.build([1, 4, 4, 3]);
    const fields = norm as unknown as Record<string, { read(): tfc.Tensor; write?: unknown }>;
    expect(fields).toMatchObject({ axis: -1, momentum: 0.9, epsilon: 0.01 });
    for (const name of ['gamma', 'beta', 'movingMean', 'movingVariance'])
      expect(fields[name]?.read().shape).toEqual([3]);
    expect(typeof fields.movingMean?.write).toBe('function');
  });
});
