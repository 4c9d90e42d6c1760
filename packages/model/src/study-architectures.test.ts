import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig, tinyData } from '../test/tiny-model.js';
import { ARCHITECTURE_NAMES } from './architectures/architecture-names.js';
import { buildModel } from './architectures/architectures.js';
import { initBackend } from './backend/init-backend.js';
import { fineTune, positionHeadLayers } from './fine-tune.js';
import { loadModel, saveModel } from './model-io.js';
import { predict } from './predict.js';
import { train } from './train.js';

// The real architectures (at a quarter of their width, so the test stays quick) through training,
// fine-tuning and save/load on the backend training uses here.
const data = tinyData(128, 12);
let dir: string;

beforeAll(async () => {
  await initBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'mtl-study-arch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(ARCHITECTURE_NAMES)('%s', (arch) => {
  it('trains without leaking tensors, fine-tunes only its position head, and round-trips through save/load', async () => {
    const model = buildModel(arch, { imageSize: 128, widthMultiplier: 0.25, seed: 1 });
    const config = tinyConfig({ epochs: 1, batchSize: 4, fineTune: { epochs: 1, learningRate: 0.01 } });
    const before = tf.memory().numTensors;
    await train(model, data, config);
    expect(tf.memory().numTensors).toBe(before);

    const head = new Set(positionHeadLayers(model).flatMap((layer) => layer.weights.map((w) => w.name)));
    const weights = () => new Map(model.weights.map((w) => [w.name, w.read().dataSync().slice()]));
    const frozen = weights();
    await fineTune(model, data, config);
    const tuned = weights();
    expect(head.size).toBeGreaterThan(0);
    for (const [name, values] of frozen) {
      if (head.has(name)) expect(tuned.get(name), name).not.toEqual(values);
      else expect(tuned.get(name), name).toEqual(values);
    }

    await saveModel(model, join(dir, arch));
    const loaded = await loadModel(join(dir, arch));
    expect(predict(loaded, data.test)).toEqual(predict(model, data.test));
    model.dispose();
    loaded.dispose();
  });
});
