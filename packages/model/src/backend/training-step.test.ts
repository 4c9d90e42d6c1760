import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModel } from '../architectures/architectures.js';
import { initBackend } from './init-backend.js';
import { syntheticBatch, trainingStep } from './training-throughput.js';

describe('a full mtl-seed training step on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test('runs, changes every trainable weight, lowers the loss and leaks no tensor', () => {
    // No dropout: its masks come from Math.random, and the test must be deterministic.
    const model = buildModel('mtl-seed', { imageSize: 128, seed: 5, dropout: 0 });
    const optimizer = tf.train.adam(1e-3);
    const batch = syntheticBatch(4, 128, 9);
    const before = model.trainableWeights.map((w) => w.read().dataSync().slice());

    const losses = [trainingStep(model, optimizer, batch), trainingStep(model, optimizer, batch)];
    const tensorsAfterTwo = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) losses.push(trainingStep(model, optimizer, batch));

    expect(tf.memory().numTensors).toBe(tensorsAfterTwo);
    for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
    expect(losses.at(-1)).toBeLessThan(losses[0] ?? Number.NaN);
    model.trainableWeights.forEach((w, i) => {
      expect(w.read().dataSync(), w.name).not.toEqual(before[i]);
    });
    tf.dispose(Object.values(batch));
    optimizer.dispose();
    model.dispose();
  });
});
