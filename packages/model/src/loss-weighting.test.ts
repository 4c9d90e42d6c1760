import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { useCpu } from '../test/tiny-model.js';
import {
  createLossWeighter,
  dwaWeights,
  gradNormWeightGradient,
  renormalise,
  uncertaintyTotal,
} from './loss-weighting.js';

/** PyTorch's figures (fixtures/loss_weighting_reference.py). */
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/loss_weighting.json', import.meta.url), 'utf8'),
);

beforeAll(useCpu);

const closeTo = (actual: ArrayLike<number>, expected: readonly number[], digits = 5) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, i) => {
    expect(actual[i]).toBeCloseTo(value, digits);
  });
};

describe('DWA', () => {
  test.each(reference.dwa as { epochLosses: number[][]; temperature: number; weights: number[] }[])(
    'weights from the last two epochs at T = $temperature match PyTorch',
    ({ epochLosses, temperature, weights }) => {
      closeTo(dwaWeights(epochLosses, temperature), weights, 12);
    },
  );

  test('by hand: equal ratios give 1 each; a slower head gets more weight; the weights sum to K', () => {
    expect(dwaWeights([], 2)).toEqual([1, 1, 1]);
    expect(dwaWeights([[2, 4, 6]], 2)).toEqual([1, 1, 1]);
    closeTo(
      dwaWeights(
        [
          [2, 4, 6],
          [1, 2, 3],
        ],
        2,
      ),
      [1, 1, 1],
      12,
    );
    // Ratios 1, 0.5, 0.5 at T = 1: 3·e / (e + 2·e^0.5).
    const w = dwaWeights(
      [
        [1, 2, 2],
        [1, 1, 1],
      ],
      1,
    );
    expect(w[0]).toBeCloseTo((3 * Math.E) / (Math.E + 2 * Math.exp(0.5)), 12);
    expect(w[0]).toBeGreaterThan(w[1]!);
    expect(w.reduce((a, b) => a + b)).toBeCloseTo(3, 12);
  });
});

describe('uncertainty weighting', () => {
  test.each(
    reference.uncertainty as {
      losses: number[];
      logVariances: number[];
      total: number;
      gradLogVariances: number[];
    }[],
  )(
    'Σ exp(−s)·L + s and its gradient in s match PyTorch ($logVariances)',
    ({ losses, logVariances, total, gradLogVariances }) => {
      const s = tf.tensor1d(logVariances);
      const L = tf.tensor1d(losses);
      expect(uncertaintyTotal(L, s).dataSync()[0]).toBeCloseTo(total, 5);
      const grad = tf.grad((v: tf.Tensor) => uncertaintyTotal(L, v as tf.Tensor1D))(s);
      closeTo(grad.dataSync(), gradLogVariances, 5);
      tf.dispose([s, L, grad]);
    },
  );

  test('starts at weight 1 per head, learns s, and reports exp(−s) as the weights', () => {
    const weighter = createLossWeighter({ kind: 'uncertainty' });
    expect(weighter.weights()).toEqual([1, 1, 1]);
    weighter.restore({ variables: [[0, Math.log(2), -Math.log(4)]] });
    closeTo(weighter.weights(), [1, 0.5, 4], 6);
    expect(weighter.variables).toHaveLength(1);
    weighter.dispose();
  });
});

describe('GradNorm', () => {
  const g = reference.gradnorm as {
    x: number[][];
    W: number[][];
    heads: number[][][];
    targets: number[][][];
    weights: number[];
    initialLosses: number[];
    alpha: number;
    losses: number[];
    gradientNorms: number[];
    gradWeights: number[];
  };

  test('the heads’ gradient norms on a shared layer match PyTorch', () => {
    const W = tf.variable(tf.tensor2d(g.W));
    const hidden = () => tf.relu(tf.matMul(tf.tensor2d(g.x), W));
    const norms = g.heads.map((head, k) => {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.square(tf.sub(tf.matMul(hidden(), tf.tensor2d(head)), tf.tensor2d(g.targets[k]!)))),
        [W],
      );
      const norm = tf.norm(grads[W.name]!).dataSync()[0]!;
      expect(value.dataSync()[0]).toBeCloseTo(g.losses[k]!, 5);
      tf.dispose([value, ...Object.values(grads)]);
      return norm;
    });
    closeTo(norms, g.gradientNorms, 5);
    W.dispose();
  });

  test('the gradient of L_grad in the weights matches PyTorch’s second-order autograd', () => {
    const grad = gradNormWeightGradient(
      tf.tensor1d(g.weights),
      tf.tensor1d(g.gradientNorms),
      tf.tensor1d(g.losses),
      tf.tensor1d(g.initialLosses),
      g.alpha,
    );
    closeTo(grad.dataSync(), g.gradWeights, 5);
    grad.dispose();
  });

  test('by hand: balanced heads at their initial losses get no push; renormalising floors and sums to K', () => {
    const grad = gradNormWeightGradient(
      tf.tensor1d([1, 2, 3]),
      tf.tensor1d([6, 3, 2]),
      tf.tensor1d([0.5, 0.5, 0.5]),
      tf.tensor1d([0.5, 0.5, 0.5]),
      1.5,
    );
    // Every G_k = w_k·g_k = 6 = Ḡ and every r_k = 1: sign(0) = 0.
    expect(Array.from(grad.dataSync())).toEqual([0, 0, 0]);
    closeTo(renormalise(tf.tensor1d([1, 1, 2])).dataSync(), [0.75, 0.75, 1.5], 6);
    const floored = renormalise(tf.tensor1d([-1, 1, 1])).dataSync();
    expect(floored[0]).toBeGreaterThan(0);
    expect(floored[0]! + floored[1]! + floored[2]!).toBeCloseTo(3, 5);
  });

  test('remembers the first step’s losses as L(0) and keeps them in its state', () => {
    const weighter = createLossWeighter({ kind: 'gradnorm', alpha: 1 });
    expect(weighter.state()).toEqual({ variables: [[1, 1, 1]] });
    const first = tf.tensor1d([2, 1, 4]);
    tf.dispose(weighter.variableGradients(first, tf.tensor1d([1, 1, 1])));
    const state = weighter.state();
    expect(state.initialLosses).toEqual([2, 1, 4]);
    tf.dispose(weighter.variableGradients(tf.tensor1d([1, 1, 1]), tf.tensor1d([1, 1, 1])));
    expect(weighter.state().initialLosses).toEqual([2, 1, 4]);
    weighter.dispose();
  });
});

describe('static weighting', () => {
  test('multiplies each head’s loss by its weight', () => {
    const weighter = createLossWeighter({ kind: 'static', weights: { position: 2, shape: 0.5, colour: 0 } });
    expect(weighter.weights()).toEqual([2, 0.5, 0]);
    expect(weighter.total(tf.tensor1d([1, 2, 3])).dataSync()[0]).toBe(3);
    expect(weighter.variables).toEqual([]);
  });
});
