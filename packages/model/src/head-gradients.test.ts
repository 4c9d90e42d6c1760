import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { tinyConfig, tinyData, tinyModel, useCpu, weightValues } from '../test/tiny-model.js';
import { gradientCosine, HEAD_PAIRS, lastSharedLayerVariables, sharedVariables } from './head-gradients.js';
import { train } from './train.js';

const data = tinyData();

beforeAll(useCpu);

describe('gradientCosine', () => {
  test('by hand: a·b / (‖a‖‖b‖) over every tensor of the gradient; 0 for a zero gradient', () => {
    // a = [1, 2 | 2], b = [2, 0 | 1]: a·b = 2 + 0 + 2 = 4, ‖a‖ = 3, ‖b‖ = √5.
    const a = [tf.tensor1d([1, 2]), tf.tensor2d([[2]])];
    const b = [tf.tensor1d([2, 0]), tf.tensor2d([[1]])];
    expect(gradientCosine(a, b)).toBeCloseTo(4 / (3 * Math.sqrt(5)), 6);
    expect(gradientCosine(a, a)).toBeCloseTo(1, 6);
    expect(
      gradientCosine(
        a,
        a.map((t) => tf.neg(t)),
      ),
    ).toBeCloseTo(-1, 6);
    expect(
      gradientCosine(
        a,
        a.map((t) => tf.zerosLike(t)),
      ),
    ).toBe(0);
  });
});

describe('shared backbone', () => {
  test('is the layers every head depends on: tinyModel’s conv and batch-norm weights', () => {
    const model = tinyModel();
    expect(sharedVariables(model).map((v) => v.shape)).toEqual([[3, 3, 3, 4], [4], [4], [4]]);
    expect(lastSharedLayerVariables(model).map((v) => v.shape)).toEqual([[3, 3, 3, 4]]);
    model.dispose();
  });
});

describe('task conflict in training', () => {
  test('is recorded every epoch for each pair of heads, as a cosine', async () => {
    const model = tinyModel();
    const result = await train(model, data, tinyConfig({ epochs: 2 }));
    for (const entry of result.history) {
      expect(Object.keys(entry.taskConflict ?? {})).toEqual(HEAD_PAIRS.map(([a, b]) => `${a}-${b}`));
      for (const cosine of Object.values(entry.taskConflict ?? {})) {
        expect(cosine).toBeGreaterThanOrEqual(-1);
        expect(cosine).toBeLessThanOrEqual(1);
        expect(cosine).not.toBe(0);
      }
    }
    model.dispose();
  });

  test('does not touch training: weights and metrics are bit-identical with it off, and it leaks nothing', async () => {
    const on = tinyModel();
    const before = tf.memory().numTensors;
    const withConflict = await train(on, data, tinyConfig({ epochs: 2, batchSize: 4 }));
    expect(tf.memory().numTensors).toBe(before);
    const off = tinyModel();
    const without = await train(off, data, tinyConfig({ epochs: 2, batchSize: 4, taskConflict: false }));
    expect(without.history.every((entry) => entry.taskConflict === undefined)).toBe(true);
    expect(weightValues(on)).toEqual(weightValues(off));
    expect(withConflict.history.map(({ train, val }) => ({ train, val }))).toEqual(
      without.history.map(({ train, val }) => ({ train, val })),
    );
    on.dispose();
    off.dispose();
  });
});
