import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig, tinyData, tinyModel, useCpu } from '../test/tiny-model.js';
import { plateauLearningRate, ScheduledAdam } from './learning-rate-schedule.js';
import { train } from './train.js';
import { reduceLrOnPlateauSchema } from './train-config.js';

const config = reduceLrOnPlateauSchema.parse({ factor: 0.5, patience: 2, minLearningRate: 0.1 });

describe('plateauLearningRate', () => {
  it('keeps the rate while the loss improves and without a config', () => {
    expect(plateauLearningRate(1, [5, 4, 3, 2], config)).toBe(1);
    expect(plateauLearningRate(1, [5, 5, 5, 5], undefined)).toBe(1);
  });

  it('halves after `patience` epochs without improvement, then waits again', () => {
    expect(plateauLearningRate(1, [5, 6], config)).toBe(1);
    expect(plateauLearningRate(1, [5, 6, 6], config)).toBe(0.5);
    expect(plateauLearningRate(1, [5, 6, 6, 6], config)).toBe(0.5);
    expect(plateauLearningRate(1, [5, 6, 6, 6, 6], config)).toBe(0.25);
    // An improvement resets the wait.
    expect(plateauLearningRate(1, [5, 6, 4, 6], config)).toBe(1);
  });

  it('counts only improvements larger than minDelta and never goes below the floor', () => {
    const strict = reduceLrOnPlateauSchema.parse({ patience: 1, minDelta: 0.5, minLearningRate: 0.3 });
    expect(plateauLearningRate(1, [5, 4.9], strict)).toBe(0.5);
    expect(plateauLearningRate(1, [5, 4.9, 4.8, 4.7], strict)).toBe(0.3);
    expect(plateauLearningRate(1, [5, Number.NaN], strict)).toBe(0.5);
  });
});

describe('learning-rate schedule in training', () => {
  beforeAll(useCpu);

  it('steps with the rate set last', () => {
    const weight = tf.variable(tf.scalar(1));
    const optimizer = new ScheduledAdam(0.1, 0.9, 0.999);
    const step = () => optimizer.minimize(() => tf.square(weight) as tf.Scalar);
    step();
    const afterFirst = weight.dataSync()[0]!;
    expect(afterFirst).toBeCloseTo(0.9, 5);
    optimizer.setLearningRate(0);
    step();
    expect(weight.dataSync()[0]).toBe(afterFirst);
    tf.dispose([weight]);
    optimizer.dispose();
  });

  it('runs each epoch at the rate its validation history calls for', async () => {
    const schedule = { factor: 0.1, patience: 1, minDelta: 10, minLearningRate: 0 };
    const rates: number[] = [];
    const result = await train(
      tinyModel(),
      tinyData(),
      tinyConfig({ epochs: 3, learningRate: 0.01, reduceLrOnPlateau: schedule }),
      { onEpoch: (_entry, progress) => void rates.push(progress.learningRate) },
    );
    // minDelta 10 makes every epoch after the first a plateau.
    expect(rates).toEqual([0.01, 0.01, 0.001].map((rate) => expect.closeTo(rate, 12)));
    expect(result.history).toHaveLength(3);
  });
});
