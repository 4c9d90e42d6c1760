import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// For its side effect: tfjs-layers registers the gradients of every op.
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { registerWasmKernels } from './register-wasm-kernels.js';

interface Case {
  kernel: number;
  pad: 'valid' | 'same';
  stride: number;
}

const CASES: Case[] = [2, 3, 4, 10].flatMap((kernel) =>
  (['valid', 'same'] as const).flatMap((pad) => [1, 2].map((stride) => ({ kernel, pad, stride }))),
);

/** Deterministic values in [-1, 1). */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** dx and dW of sum(conv2d(x, w) · dy) on the current backend. Shape: x [3, 17, 14, 3], w [k, k, 3, 5]. */
function convGradients({ kernel, pad, stride }: Case): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(3 * 17 * 14 * 3, 1), [3, 17, 14, 3]);
    const w = tf.tensor4d(values(kernel * kernel * 3 * 5, 2), [kernel, kernel, 3, 5]);
    const outShape = tf.conv2d(x, w, stride, pad).shape;
    const dy = tf.tensor(
      values(
        outShape.reduce((a, b) => a * b, 1),
        3,
      ),
      outShape,
    );
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)),
    )([x, w]);
    return { dx: dx?.dataSync() as Float32Array, dw: dw?.dataSync() as Float32Array };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  expect(scale).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] ?? Number.NaN) - (expected[i] ?? 0)));
  expect(worst / scale).toBeLessThan(1e-5);
}

describe('wasm conv gradient kernels match the cpu backend', () => {
  beforeAll(async () => {
    registerWasmKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test('the project kernels replace or fill the wasm ones', () => {
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')?.kernelFunc).toBe(
      conv2dBackpropFilterConfig.kernelFunc,
    );
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')?.kernelFunc).toBe(
      conv2dBackpropInputConfig.kernelFunc,
    );
  });

  test.each(CASES)('kernel $kernel, $pad padding, stride $stride (batch 3, 3 → 5 channels)', async (c) => {
    await tf.setBackend('cpu');
    const expected = convGradients(c);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = convGradients(c);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(actual.dw, expected.dw);
    expectClose(actual.dx, expected.dx);
  });

  test('the kernels free their intermediates on the wasm heap', async () => {
    const backend = tf.backend();
    const x = tf.randomUniform([2, 12, 12, 4]);
    const w = tf.randomUniform([3, 3, 4, 6]);
    const dy = tf.randomUniform([2, 5, 5, 6]);
    const before = backend.numDataIds();
    const outs = [
      tf.engine().runKernel(
        tf.Conv2DBackpropFilter,
        { x, dy },
        {
          strides: 2,
          pad: 'valid',
          dataFormat: 'NHWC',
          filterShape: [3, 3, 4, 6],
        },
      ) as tf.Tensor,
      tf.engine().runKernel(
        tf.Conv2DBackpropInput,
        { dy, filter: w },
        {
          strides: 2,
          pad: 'valid',
          dataFormat: 'NHWC',
          inputShape: [2, 12, 12, 4],
        },
      ) as tf.Tensor,
    ];
    // Exactly the two outputs remain allocated.
    expect(backend.numDataIds()).toBe(before + 2);
    tf.dispose([...outs, x, w, dy]);
  });
});
