import { mkdtemp, readdir, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tinyConfig, tinyData, tinyModel, useCpu } from '../test/tiny-model.js';
import { SavedModelError } from './errors.js';
import { loadModel, saveModel } from './model-io.js';
import { predict } from './predict.js';
import { train } from './train.js';

const data = tinyData();
let dir: string;

beforeAll(useCpu);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-model-io-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saveModel / loadModel', () => {
  it('round-trips a trained model in layers format with identical predictions', async () => {
    const model = tinyModel();
    await train(model, data, tinyConfig({ epochs: 1 }));
    await saveModel(model, join(dir, 'model'));
    expect((await readdir(join(dir, 'model'))).sort()).toEqual(['model.json', 'weights.bin']);

    const loaded = await loadModel(join(dir, 'model'));
    expect(loaded.outputNames).toEqual(['position', 'shape', 'colour']);
    expect(predict(loaded, data.test)).toEqual(predict(model, data.test));
    model.dispose();
    loaded.dispose();
  });

  it('names the file when the model is missing or damaged', async () => {
    await expect(loadModel(dir)).rejects.toThrow(SavedModelError);
    await expect(loadModel(dir)).rejects.toThrow(`${join(dir, 'model.json')}: missing`);
    const model = tinyModel();
    await saveModel(model, dir);
    await truncate(join(dir, 'weights.bin'), 100);
    await expect(loadModel(dir)).rejects.toThrow(/weights\.bin: holds 100 bytes/);
    model.dispose();
  });
});

describe('predict', () => {
  it('gives pixel positions, probabilities and their argmax labels', () => {
    const model = tinyModel();
    const out = predict(model, data.test, { batchSize: 3 });
    const n = data.test.count;
    expect([out.positions?.length, out.shapeProbs?.length, out.colourProbs?.length]).toEqual([
      2 * n,
      3 * n,
      6 * n,
    ]);
    const raw = tf.tidy(() => {
      const images = tf.tensor4d(
        Float32Array.from(data.test.images, (v) => v / 255),
        [n, 16, 16, 3],
      );
      return tf.mul((model.predict(images) as tf.Tensor[])[0]!, 16).dataSync();
    });
    for (let i = 0; i < 2 * n; i++) expect(out.positions?.[i]).toBeCloseTo(raw[i]!, 4);
    for (let i = 0; i < n; i++) {
      const probs = Array.from(out.shapeProbs?.subarray(3 * i, 3 * i + 3) ?? []);
      expect(probs.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      expect(out.shapes?.[i]).toBe(probs.indexOf(Math.max(...probs)));
    }
    expect(() => predict(model, tinyData(32, 4).test)).toThrow(/takes 16×16 images, got 32×32/);
    model.dispose();
  });
});
