import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig, tinyData, tinyModel, useCpu } from '../test/tiny-model.js';
import { fineTune, positionHeadLayers } from './fine-tune.js';
import { train } from './train.js';

const data = tinyData();

beforeAll(useCpu);

/** Every weight by its variable name (unique per model instance). */
function weightsByName(model: ReturnType<typeof tinyModel>): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.name, w.read().dataSync() as Float32Array]));
}

describe('fineTune', () => {
  it('finds the layers only the position output depends on', () => {
    const model = tinyModel();
    const head = positionHeadLayers(model).map((layer) => layer.getClassName());
    expect(head).toEqual(['Conv2D', 'Flatten', 'Dense', 'Dense']);
    expect(positionHeadLayers(model).at(-1)!.name).toBe('position');
    model.dispose();
  });

  it('retrains the position head only: every other weight, batch-norm statistics too, stays bit-identical', async () => {
    const model = tinyModel();
    const config = tinyConfig({ epochs: 2, fineTune: { epochs: 3, learningRate: 0.01 } });
    await train(model, data, config);
    const head = new Set(positionHeadLayers(model).flatMap((layer) => layer.weights.map((w) => w.name)));
    const before = weightsByName(model);
    const tensorsBefore = tf.memory().numTensors;

    const result = await fineTune(model, data, config);

    const after = weightsByName(model);
    expect(head.size).toBe(6);
    for (const [name, values] of before) {
      if (head.has(name)) expect(after.get(name), name).not.toEqual(values);
      else expect(after.get(name), name).toEqual(values);
    }
    expect([...before.keys()].some((name) => name.includes('moving_mean'))).toBe(true);
    for (const entry of result.history) expect(entry.val.loss).toBe(entry.val.position_loss);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    model.dispose();
  });
});
