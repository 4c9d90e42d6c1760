import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, test } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { FastBatchNormalization } from './fast-batch-normalization.js';
import { UnfusedConv2D } from './unfused-conv2d.js';

const SHAPE = [3, 6, 5, 4];

function values(size: number, seed: number, offset = 0): Float32Array {
  const out = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1 + offset;
  }
  return out;
}

/** Output, input gradient, weight gradients and weights after one training-mode call. */
function trainingPass(layer: tf.layers.Layer): number[][] {
  const size = SHAPE.reduce((a, b) => a * b, 1);
  return tfc.tidy(() => {
    const x = tfc.tensor(values(size, 1, 0.3), SHAPE);
    const loss = (input: tfc.Tensor) => {
      const y = layer.apply(input, { training: true }) as tfc.Tensor;
      return tfc.sum(tfc.mul(y, tfc.tensor(values(y.size, 2), y.shape)));
    };
    const y = layer.apply(x, { training: true }) as tfc.Tensor;
    const dx = tfc.grad(loss)(x);
    const variables = layer.trainableWeights.map((w) => w.read() as tfc.Variable);
    const { grads } = tfc.variableGrads(() => loss(x) as tfc.Scalar, variables);
    return [y, dx, ...variables.map((v) => grads[v.name] as tfc.Tensor), ...layer.getWeights()].map((t) =>
      Array.from(t.dataSync()),
    );
  });
}

function expectSame(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => {
    const reference = expected[i] ?? [];
    expect(values.length).toBe(reference.length);
    const scale = Math.max(1e-3, ...reference.map(Math.abs));
    values.forEach((v, j) => {
      expect(Math.abs(v - (reference[j] ?? Number.NaN)) / scale).toBeLessThan(2e-5);
    });
  });
}

function twin(stock: tf.layers.Layer, fast: tf.layers.Layer): void {
  stock.build(SHAPE);
  fast.build(SHAPE);
  fast.setWeights(
    stock.getWeights().map((w, i) => tfc.tensor(values(w.size, 10 + i, i === 3 ? 1.5 : 0), w.shape)),
  );
  stock.setWeights(fast.getWeights());
}

describe.each(['cpu', 'wasm'] as const)('faster layers give the stock results on %s', (backend) => {
  afterAll(async () => {
    await tfc.setBackend('cpu');
  });

  test('FastBatchNormalization: output, gradients, moving averages and inference', async () => {
    await initBackend(backend);
    const stock = tf.layers.batchNormalization({ momentum: 0.9 });
    const fast = new FastBatchNormalization({ momentum: 0.9 });
    twin(stock, fast);
    expectSame(trainingPass(fast), trainingPass(stock));
    const x = tfc.tensor(
      values(
        SHAPE.reduce((a, b) => a * b, 1),
        3,
      ),
      SHAPE,
    );
    const inference = [stock, fast].map((layer) => Array.from((layer.apply(x) as tfc.Tensor).dataSync()));
    expectSame([inference[1] ?? []], [inference[0] ?? []]);
    expect(fast.getClassName()).toBe('BatchNormalization');
  });

  test.each(['linear', 'relu'] as const)('UnfusedConv2D (%s): output and gradients', async (activation) => {
    await initBackend(backend);
    const args = { filters: 5, kernelSize: 3, padding: 'same' as const, activation };
    const stock = tf.layers.conv2d(args);
    const fast = new UnfusedConv2D(args);
    twin(stock, fast);
    expectSame(trainingPass(fast), trainingPass(stock));
    expect(fast.getClassName()).toBe('Conv2D');
  });
});
