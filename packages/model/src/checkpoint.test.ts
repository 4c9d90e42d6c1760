import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useCpu } from '../test/tiny-model.js';
import { readCheckpoint, type TrainCheckpoint, writeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';

let dir: string;
beforeAll(useCpu);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const checkpoint = (): TrainCheckpoint => ({
  state: {
    fingerprint: 'abc',
    epoch: 2,
    finished: false,
    earlyStopping: { best: 0.25, bestEpoch: 1, wait: 1 },
    history: [{ epoch: 1, train: { loss: 0.5 }, val: { loss: 0.25 } }],
  },
  weights: [tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([Math.PI])],
  bestWeights: [tf.tensor2d([5, 6, 7, 8], [2, 2]), tf.tensor1d([Math.E])],
  optimizer: [
    { name: 'iter', tensor: tf.scalar(12, 'int32') },
    { name: 'dense/kernel/m', tensor: tf.tensor1d([0.125, -1]) },
  ],
});

describe('checkpoint file', () => {
  it('round-trips state and tensors exactly', async () => {
    const file = join(dir, 'ckpt');
    const written = checkpoint();
    await writeCheckpoint(file, written);
    const read = await readCheckpoint(file);
    expect(read!.state).toEqual(written.state);
    expect(read!.weights.map((t) => [t.shape, Array.from(t.dataSync())])).toEqual(
      written.weights.map((t) => [t.shape, Array.from(t.dataSync())]),
    );
    expect(read!.bestWeights[1]!.dataSync()).toEqual(written.bestWeights[1]!.dataSync());
    expect(read!.optimizer.map(({ name, tensor }) => [name, tensor.dtype])).toEqual([
      ['iter', 'int32'],
      ['dense/kernel/m', 'float32'],
    ]);
  });

  it('is absent when there is no file, and refuses a damaged one naming it', async () => {
    const file = join(dir, 'ckpt');
    expect(await readCheckpoint(file)).toBeUndefined();
    await writeCheckpoint(file, checkpoint());
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 3));
    await expect(readCheckpoint(file)).rejects.toThrow(CheckpointError);
    await expect(readCheckpoint(file)).rejects.toThrow(`${file}: weights are truncated`);
    await writeFile(file, 'hello');
    await expect(readCheckpoint(file)).rejects.toThrow(/bad magic/);
  });
});
