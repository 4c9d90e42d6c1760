import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  tinyConfig,
  tinyData,
  tinyModel,
  trainUntilKilled,
  useCpu,
  weightValues,
} from '../test/tiny-model.js';
import { TrainingAbortedError } from './errors.js';
import { HEAD_NAMES } from './heads.js';
import { dwaWeights } from './loss-weighting.js';
import type { LossWeightingInput } from './loss-weighting-config.js';
import { train } from './train.js';

const data = tinyData();
let dir: string;

beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'mtl-weighting-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const KINDS: LossWeightingInput[] = [
  { kind: 'static', weights: { position: 2, shape: 1, colour: 0.5 } },
  { kind: 'uncertainty' },
  { kind: 'dwa', temperature: 2 },
  { kind: 'gradnorm', alpha: 1.5 },
];

const weightsOf = (entry: { lossWeights?: Record<string, number> }) =>
  HEAD_NAMES.map((head) => entry.lossWeights?.[head] as number);

describe.each(KINDS)('lossWeighting $kind', (lossWeighting) => {
  test('trains: finite metrics, per-head weights every epoch, the loss goes down, no tensor leaks', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const result = await train(model, data, tinyConfig({ epochs: 3, learningRate: 0.01, lossWeighting }));
    expect(tf.memory().numTensors).toBe(before);
    expect(result.history).toHaveLength(3);
    for (const entry of result.history) {
      expect(Object.keys(entry.lossWeights ?? {})).toEqual([...HEAD_NAMES]);
      for (const value of [...Object.values(entry.train), ...weightsOf(entry)]) {
        expect(Number.isFinite(value)).toBe(true);
      }
    }
    const heads = (entry: (typeof result.history)[number]) =>
      HEAD_NAMES.reduce((sum, head) => sum + entry.train[`${head}_loss`]!, 0);
    expect(heads(result.history.at(-1)!)).toBeLessThan(heads(result.history[0]!));
    const weights = result.history.map(weightsOf);
    switch (lossWeighting.kind) {
      case 'static':
        expect(weights).toEqual([
          [2, 1, 0.5],
          [2, 1, 0.5],
          [2, 1, 0.5],
        ]);
        break;
      case 'dwa': {
        expect(weights.slice(0, 2)).toEqual([
          [1, 1, 1],
          [1, 1, 1],
        ]);
        const losses = result.history.map((entry) => HEAD_NAMES.map((head) => entry.train[`${head}_loss`]!));
        expect(weights[2]).toEqual(dwaWeights(losses.slice(0, 2), 2));
        expect(weights[2]).not.toEqual([1, 1, 1]);
        break;
      }
      case 'uncertainty':
        // Learned from 1: s moves with every step, so the weights do too.
        for (const epoch of weights) expect(epoch).not.toEqual([1, 1, 1]);
        expect(weights[2]).not.toEqual(weights[0]);
        break;
      case 'gradnorm':
        for (const epoch of weights) {
          expect(epoch).not.toEqual([1, 1, 1]);
          expect(epoch.reduce((a, b) => a + b)).toBeCloseTo(3, 5);
          for (const w of epoch) expect(w).toBeGreaterThan(0);
        }
        break;
    }
    model.dispose();
  });

  test('a killed run resumed from its checkpoint ends bit-identical to an uninterrupted one', async () => {
    const config = tinyConfig({ epochs: 4, batchSize: 4, lossWeighting });
    const whole = tinyModel();
    const wholeResult = await train(whole, data, config, {
      checkpointFile: join(dir, `${lossWeighting.kind}-whole.ckpt`),
    });
    const file = join(dir, `${lossWeighting.kind}-killed.ckpt`);
    const first = tinyModel();
    expect(await trainUntilKilled(first, data, config, file, 2)).toBeInstanceOf(TrainingAbortedError);
    first.dispose();
    const second = tinyModel(16, 99);
    const resumed = await train(second, data, config, { checkpointFile: file });
    expect(resumed.resumedEpochs).toBe(2);
    expect(resumed.history).toEqual(wholeResult.history);
    expect(weightValues(second)).toEqual(weightValues(whole));
    whole.dispose();
    second.dispose();
  });
});
