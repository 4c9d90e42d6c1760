import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
// For its side effect: tfjs-layers registers the gradients of every op.
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerWasmKernels } from './register-wasm-kernels.js';

/** Deterministic values in [-1, 1), rounded to `step` when given (to create ties). */
function values(size: number, seed: number, step?: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const v = state / 2 ** 31 - 1;
    out[i] = step === undefined ? v : Math.max(0, Math.round(v / step) * step);
  }
  return out;
}

/** Runs `f` on cpu and on wasm (with the project kernels) and returns both results. */
async function onBoth(
  f: () => tf.Tensor,
): Promise<{ cpu: tf.TypedArray; wasm: tf.TypedArray; shape: number[] }> {
  await tf.setBackend('cpu');
  const cpu = tf.tidy(f);
  const expected = { values: cpu.dataSync(), shape: cpu.shape };
  cpu.dispose();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const wasm = tf.tidy(f);
  expect(wasm.shape).toEqual(expected.shape);
  const actual = wasm.dataSync();
  wasm.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return { cpu: expected.values, wasm: actual, shape: expected.shape };
}

function expectClose(actual: tf.TypedArray, expected: tf.TypedArray, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1e-6, ...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] ?? Number.NaN) - (expected[i] ?? 0)));
  }
  expect(worst / scale).toBeLessThanOrEqual(tolerance);
}

describe('fast wasm kernels match the cpu backend', () => {
  beforeAll(async () => {
    registerWasmKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test.each([
    { shape: [3, 5, 7, 4], axis: [0, 1, 2], keepDims: false },
    { shape: [3, 5, 7, 4], axis: [2, 0, 1], keepDims: true },
    { shape: [3, 5, 7, 4], axis: [0, 1], keepDims: false },
    { shape: [3, 5, 7, 4], axis: [0, 1, 2, 3], keepDims: false },
    { shape: [6, 4], axis: [0], keepDims: false },
    { shape: [3, 5, 7, 4], axis: [1, 2], keepDims: false },
    { shape: [3, 5, 7, 4], axis: [3], keepDims: true },
  ])('Sum and Mean of $shape over $axis (keepDims $keepDims)', async ({ shape, axis, keepDims }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    for (const reduce of [tf.sum, tf.mean]) {
      const r = await onBoth(() => reduce(tf.tensor(values(size, 4), shape), axis, keepDims));
      expectClose(r.wasm, r.cpu);
    }
  });

  test.each([
    { shape: [1, 1, 1, 4], reps: [2, 3, 5, 1] },
    { shape: [2, 3], reps: [2, 2] },
    { shape: [2, 1, 3], reps: [1, 4, 2] },
    { shape: [2, 2, 2, 2], reps: [2, 2, 2, 2] },
  ])('Tile of $shape by $reps', async ({ shape, reps }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const r = await onBoth(() => tf.tile(tf.tensor(values(size, 5), shape), reps));
    expectClose(r.wasm, r.cpu, 0);
  });

  test('Tile of int32 falls back to wasm own kernel', async () => {
    const r = await onBoth(() => tf.tile(tf.tensor([1, 2, 3], [3], 'int32'), [2]));
    expect(Array.from(r.wasm)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  test.each([
    { size: 2, stride: 2, pad: 'valid' as const, h: 7, w: 9 },
    { size: 2, stride: 2, pad: 'same' as const, h: 7, w: 9 },
    { size: 2, stride: 2, pad: 'valid' as const, h: 8, w: 6 },
    { size: 2, stride: 2, pad: 'same' as const, h: 6, w: 5 },
    { size: 3, stride: 3, pad: 'valid' as const, h: 10, w: 11 },
    { size: 4, stride: 4, pad: 'valid' as const, h: 13, w: 12 },
    { size: 3, stride: 2, pad: 'same' as const, h: 9, w: 8 },
  ])(
    'MaxPoolGrad, pool $size stride $stride $pad on $h×$w (ties included)',
    async ({ size, stride, pad, h, w }) => {
      for (const step of [undefined, 0.5]) {
        const r = await onBoth(() => {
          const x = tf.tensor4d(values(2 * h * w * 3, 6, step), [2, h, w, 3]);
          const dyShape = tf.maxPool(x, size, stride, pad).shape;
          const dy = tf.tensor(
            values(
              dyShape.reduce((a, b) => a * b, 1),
              7,
            ),
            dyShape,
          );
          return tf.grad((a: tf.Tensor) =>
            tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, stride, pad), dy)),
          )(x);
        });
        expectClose(r.wasm, r.cpu, 1e-6);
      }
    },
  );

  test('Identity and same-dtype Cast share data; other casts still convert', async () => {
    const r = await onBoth(() =>
      tf.add(tf.clone(tf.tensor([1.5, -2.25])), tf.cast(tf.tensor([0.5, 1]), 'float32')),
    );
    expect(Array.from(r.wasm)).toEqual([2, -1.25]);
    const ints = await onBoth(() => tf.cast(tf.tensor([1.7, -2.2]), 'int32'));
    expect(Array.from(ints.wasm)).toEqual(Array.from(ints.cpu));
    const x = tf.tensor([3, 4]);
    const copy = tf.clone(x);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([3, 4]);
    copy.dispose();
  });
});
