import { z } from 'zod';
import { MetricsInputError } from './errors.js';
import type { HeadsInput } from './evaluate-heads.js';

/** Identifies a run's `predictions.json`; bumped whenever a field changes meaning. */
export const PREDICTIONS_FORMAT = 'mtl-predictions';
export const PREDICTIONS_VERSION = 1;

/** A head the run lacks (a single-task baseline) has no field here: x and y go together, as position. */
const point = z.strictObject({
  x: z.number().optional(),
  y: z.number().optional(),
  shape: z.int().min(0).optional(),
  colour: z.int().min(0).optional(),
});

/**
 * What a run predicted on its test split, for reports: the first few samples in full (drawn with
 * their true and predicted dots and labels) and every sample's position error (its distribution).
 * Only the heads the run has: a one-head run's labels, points and errors lack the others.
 */
export const samplePredictionsSchema = z.strictObject({
  format: z.literal(PREDICTIONS_FORMAT),
  version: z.literal(PREDICTIONS_VERSION),
  imageSize: z.int().min(1),
  labels: z.strictObject({ shape: z.array(z.string()).optional(), colour: z.array(z.string()).optional() }),
  /** `index` is the sample's place in the test split; x, y in pixels; shape, colour: label indices. */
  samples: z.array(z.strictObject({ index: z.int().min(0), true: point, pred: point })),
  /** Euclidean position error in pixels of every test sample, in split order (0.01 px); absent without a position head. */
  positionErrorsPx: z.array(z.number().min(0)).optional(),
});

export type SamplePredictions = z.output<typeof samplePredictionsSchema>;

/** Keeps files small: positions to 0.01 px are finer than any figure a report shows. */
const round = (value: number) => Math.round(value * 100) / 100;

/** The first `count` test samples' truth and prediction, and every sample's position error; heads given only. */
export function samplePredictions(input: HeadsInput, count = 12): SamplePredictions {
  const { position, shape, colour } = input;
  const total = (shape ?? colour)?.true.length ?? (position ? position.true.length / 2 : 0);
  if (position && (position.true.length !== 2 * total || position.pred.length !== 2 * total)) {
    throw new MetricsInputError(`positions must hold 2 × ${total} values, one (x, y) pair per sample`);
  }
  const at = (side: 'true' | 'pred', i: number) => ({
    ...(position ? { x: round(position[side][2 * i]!), y: round(position[side][2 * i + 1]!) } : {}),
    ...(shape ? { shape: shape[side][i]! } : {}),
    ...(colour ? { colour: colour[side][i]! } : {}),
  });
  const samples = [];
  for (let i = 0; i < Math.min(count, total); i++)
    samples.push({ index: i, true: at('true', i), pred: at('pred', i) });
  return {
    format: PREDICTIONS_FORMAT,
    version: PREDICTIONS_VERSION,
    imageSize: input.imageSize,
    labels: {
      ...(shape ? { shape: [...shape.labels] } : {}),
      ...(colour ? { colour: [...colour.labels] } : {}),
    },
    samples,
    ...(position ? { positionErrorsPx: positionErrors(position, total) } : {}),
  };
}

function positionErrors(position: NonNullable<HeadsInput['position']>, total: number): number[] {
  const errors = new Array<number>(total);
  for (let i = 0; i < total; i++) {
    const dx = position.pred[2 * i]! - position.true[2 * i]!;
    const dy = position.pred[2 * i + 1]! - position.true[2 * i + 1]!;
    errors[i] = round(Math.hypot(dx, dy));
  }
  return errors;
}
