import { z } from 'zod';
import { MetricsInputError } from './errors.js';
import type { HeadsInput } from './evaluate-heads.js';

/** Identifies a run's `predictions.json`; bumped whenever a field changes meaning. */
export const PREDICTIONS_FORMAT = 'mtl-predictions';
export const PREDICTIONS_VERSION = 1;

const point = z.strictObject({ x: z.number(), y: z.number(), shape: z.int().min(0), colour: z.int().min(0) });

/**
 * What a run predicted on its test split, for reports: the first few samples in full (drawn with
 * their true and predicted dots and labels) and every sample's position error (its distribution).
 */
export const samplePredictionsSchema = z.strictObject({
  format: z.literal(PREDICTIONS_FORMAT),
  version: z.literal(PREDICTIONS_VERSION),
  imageSize: z.int().min(1),
  labels: z.strictObject({ shape: z.array(z.string()), colour: z.array(z.string()) }),
  /** `index` is the sample's place in the test split; x, y in pixels; shape, colour: label indices. */
  samples: z.array(z.strictObject({ index: z.int().min(0), true: point, pred: point })),
  /** Euclidean position error in pixels of every test sample, in split order (0.01 px). */
  positionErrorsPx: z.array(z.number().min(0)),
});

export type SamplePredictions = z.output<typeof samplePredictionsSchema>;

/** Keeps files small: positions to 0.01 px are finer than any figure a report shows. */
const round = (value: number) => Math.round(value * 100) / 100;

/** The first `count` test samples' truth and prediction, and every sample's position error. */
export function samplePredictions(input: HeadsInput, count = 12): SamplePredictions {
  const { position, shape, colour } = input;
  const total = shape.true.length;
  if (position.true.length !== 2 * total || position.pred.length !== 2 * total) {
    throw new MetricsInputError(`positions must hold 2 × ${total} values, one (x, y) pair per sample`);
  }
  const at = (xy: ArrayLike<number>, shapes: ArrayLike<number>, colours: ArrayLike<number>, i: number) => ({
    x: round(xy[2 * i]!),
    y: round(xy[2 * i + 1]!),
    shape: shapes[i]!,
    colour: colours[i]!,
  });
  const samples = [];
  for (let i = 0; i < Math.min(count, total); i++) {
    samples.push({
      index: i,
      true: at(position.true, shape.true, colour.true, i),
      pred: at(position.pred, shape.pred, colour.pred, i),
    });
  }
  const positionErrorsPx = new Array<number>(total);
  for (let i = 0; i < total; i++) {
    const dx = position.pred[2 * i]! - position.true[2 * i]!;
    const dy = position.pred[2 * i + 1]! - position.true[2 * i + 1]!;
    positionErrorsPx[i] = round(Math.hypot(dx, dy));
  }
  return {
    format: PREDICTIONS_FORMAT,
    version: PREDICTIONS_VERSION,
    imageSize: input.imageSize,
    labels: { shape: [...shape.labels], colour: [...colour.labels] },
    samples,
    positionErrorsPx,
  };
}
