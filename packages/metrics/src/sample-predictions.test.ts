import { describe, expect, it } from 'vitest';
import { samplePredictions, samplePredictionsSchema } from './sample-predictions.js';

const input = {
  imageSize: 64,
  position: { true: [10, 10, 20, 20, 30, 30], pred: [13, 14, 20, 20, 30.004, 29] },
  shape: { true: [0, 1, 2], pred: [0, 2, 2], labels: ['circle', 'rectangle', 'triangle'] },
  colour: { true: [1, 0, 0], pred: [1, 0, 1], labels: ['red', 'green'] },
};

describe('samplePredictions', () => {
  it('keeps the first samples in full and every error, to 0.01 px', () => {
    const predictions = samplePredictions(input, 2);
    expect(predictions.samples).toEqual([
      { index: 0, true: { x: 10, y: 10, shape: 0, colour: 1 }, pred: { x: 13, y: 14, shape: 0, colour: 1 } },
      { index: 1, true: { x: 20, y: 20, shape: 1, colour: 0 }, pred: { x: 20, y: 20, shape: 2, colour: 0 } },
    ]);
    // 3-4-5 triangle; exact; hypot(0.004, 1) = 1.000008 → 1.
    expect(predictions.positionErrorsPx).toEqual([5, 0, 1]);
    expect(samplePredictionsSchema.parse(JSON.parse(JSON.stringify(predictions)))).toEqual(predictions);
  });

  it('rejects positions that do not pair with the labels', () => {
    expect(() => samplePredictions({ ...input, position: { true: [1, 2], pred: [1, 2] } })).toThrow(
      /2 × 3 values/,
    );
  });

  it('keeps only the heads given: a shape-only run has no position or colour fields', () => {
    const predictions = samplePredictions({ imageSize: 64, shape: input.shape }, 2);
    expect(predictions.labels).toEqual({ shape: ['circle', 'rectangle', 'triangle'] });
    expect(predictions.samples[1]).toEqual({ index: 1, true: { shape: 1 }, pred: { shape: 2 } });
    expect(predictions).not.toHaveProperty('positionErrorsPx');
    expect(samplePredictionsSchema.parse(JSON.parse(JSON.stringify(predictions)))).toEqual(predictions);
  });
});
