import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  tinyConfig,
  tinyData,
  tinyModel,
  trainUntilKilled,
  useCpu,
  weightValues,
} from '../test/tiny-model.js';
import { CheckpointError, TrainingAbortedError } from './errors.js';
import { METRIC_NAMES } from './history.js';
import { train } from './train.js';

const data = tinyData();
let dir: string;

beforeAll(useCpu);
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-train-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('train', () => {
  it('records every per-head metric for train and val, and learns', async () => {
    const model = tinyModel();
    const result = await train(model, data, tinyConfig({ epochs: 4, learningRate: 0.01 }));
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    for (const entry of result.history) {
      for (const name of METRIC_NAMES) {
        expect(Number.isFinite(entry.train[name])).toBe(true);
        expect(Number.isFinite(entry.val[name])).toBe(true);
      }
      expect(entry.val.position_mae).toBeCloseTo(entry.val.position_loss! * 16, 3);
    }
    expect(result.history.at(-1)!.train.loss).toBeLessThan(result.history[0]!.train.loss!);
    model.dispose();
  });

  it('leaves no tensors behind: the count stays flat across epochs and returns to where it began', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const perEpoch: number[] = [];
    await train(model, data, tinyConfig({ epochs: 4 }), {
      onEpoch: () => {
        perEpoch.push(tf.memory().numTensors);
      },
    });
    expect(new Set(perEpoch.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('is reproducible: the same seeds give bit-identical weights, another seed does not', async () => {
    const runs = [];
    for (const seed of [3, 3, 4]) {
      const model = tinyModel();
      await train(model, data, tinyConfig({ seed }));
      runs.push(weightValues(model));
      model.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });

  it('puts back the weights of the best validation epoch', async () => {
    const model = tinyModel();
    const snapshots: Float32Array[][] = [];
    const result = await train(model, data, tinyConfig({ epochs: 5, learningRate: 0.05 }), {
      onEpoch: () => {
        snapshots.push(weightValues(model).map((w) => w.slice()));
      },
    });
    const losses = result.history.map((h) => h.val.loss!);
    expect(result.bestEpoch).toBe(losses.indexOf(Math.min(...losses)) + 1);
    expect(weightValues(model)).toEqual(snapshots[result.bestEpoch - 1]);
    model.dispose();
  });

  it('stops early after `patience` epochs without improvement', async () => {
    const model = tinyModel();
    // A huge min delta means no epoch after the first can count as an improvement.
    const config = tinyConfig({ epochs: 10, earlyStopping: { patience: 2, minDelta: 1e6 } });
    const result = await train(model, data, config);
    expect(result.history).toHaveLength(3);
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBe(1);
    model.dispose();
  });

  it('resumes a killed run from its checkpoint and ends exactly like an uninterrupted run', async () => {
    // Batches of 2: enough Adam steps before the kill for its bias-correction powers to matter.
    const config = tinyConfig({ epochs: 4, batchSize: 2 });
    const whole = tinyModel();
    const wholeResult = await train(whole, data, config, { checkpointFile: join(dir, 'whole.ckpt') });

    const file = join(dir, 'killed.ckpt');
    const first = tinyModel();
    expect(await trainUntilKilled(first, data, config, file, 2)).toBeInstanceOf(TrainingAbortedError);
    first.dispose();

    const second = tinyModel(16, 99); // another initialisation: the checkpoint must overwrite it
    const resumed = await train(second, data, config, { checkpointFile: file });
    expect(resumed.resumedEpochs).toBe(2);
    expect(resumed.history).toEqual(wholeResult.history);
    expect(weightValues(second)).toEqual(weightValues(whole));

    const again = tinyModel(16, 5);
    const finished = await train(again, data, config, { checkpointFile: file });
    expect(finished.resumedEpochs).toBe(4);
    expect(weightValues(again)).toEqual(weightValues(whole));
    tf.dispose([whole, second, again].flatMap((m) => m.weights.map((w) => w.read())));
  });

  it('asks beforeCheckpoint before every checkpoint write, and writes nothing once it throws', async () => {
    const file = join(dir, 'fenced.ckpt');
    const model = tinyModel();
    const config = tinyConfig({ epochs: 4 });
    let asked = 0;
    const lost = new Error('trial taken over');
    const fenced = train(model, data, config, {
      checkpointFile: file,
      beforeCheckpoint: async () => {
        asked += 1;
        if (asked === 3) throw lost;
      },
    });
    await expect(fenced).rejects.toBe(lost);
    // Epochs 1 and 2 were written; epoch 3's write was refused, so the file still holds epoch 2.
    const resumed = await train(tinyModel(16, 3), data, config, { checkpointFile: join(dir, 'fenced.ckpt') });
    expect(resumed.resumedEpochs).toBe(2);
    expect(asked).toBe(3);
    model.dispose();
  });

  it('sets a damaged checkpoint aside and resumes from the one before it, or from the start', async () => {
    const config = tinyConfig({ epochs: 3, batchSize: 2 });
    const whole = await train(tinyModel(), data, config);
    const file = join(dir, 'damaged.ckpt');
    const first = tinyModel();
    expect(await trainUntilKilled(first, data, config, file, 2)).toBeInstanceOf(TrainingAbortedError);
    first.dispose();
    await truncate(file, 100); // epoch 2's, as a full disk or a bad sector might leave it

    const resumed = await train(tinyModel(16, 9), data, config, { checkpointFile: file });
    expect(resumed.resumedEpochs).toBe(1);
    expect(resumed.history).toEqual(whole.history);
    expect((await readdir(dir)).filter((name) => name.startsWith('damaged.ckpt.damaged-'))).toHaveLength(1);

    await writeFile(file, 'not a checkpoint');
    await writeFile(`${file}.prev`, 'nor this');
    const restarted = await train(tinyModel(), data, config, { checkpointFile: file });
    expect(restarted.resumedEpochs).toBe(0);
    expect(restarted.history).toEqual(whole.history);
  });

  it('refuses a checkpoint of another configuration', async () => {
    const file = join(dir, 'run.ckpt');
    const model = tinyModel();
    await train(model, data, tinyConfig({ epochs: 1 }), { checkpointFile: file });
    const before = tf.memory().numTensors;
    await expect(
      train(model, data, tinyConfig({ epochs: 1, learningRate: 0.5 }), { checkpointFile: file }),
    ).rejects.toThrow(CheckpointError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('lets a timer abort it mid-epoch (the loop yields between batches)', async () => {
    const model = tinyModel();
    const controller = new AbortController();
    let batches = 0;
    const training = train(model, data, tinyConfig({ epochs: 5, batchSize: 2 }), {
      signal: controller.signal,
      onBatch: () => {
        batches++;
        if (batches === 3) setTimeout(() => controller.abort(), 0);
      },
    });
    await expect(training).rejects.toThrow(/aborted after 0 completed epoch/);
    expect(batches).toBeLessThan(15);
    model.dispose();
  });

  it('stops before the next batch when aborted, without leaking tensors', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    await expect(train(model, data, tinyConfig(), { signal: controller.signal })).rejects.toThrow(
      /aborted after 0 completed epoch/,
    );
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
