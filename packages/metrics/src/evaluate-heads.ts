import {
  type ClassificationOptions,
  type ClassificationReport,
  classificationReport,
} from './classification-report.js';
import { MetricsInputError } from './errors.js';
import { type RegressionMetrics, regressionMetrics } from './regression.js';

/** True and predicted class indices of one classification head, with its label order. */
export interface ClassificationHeadInput {
  true: ArrayLike<number>;
  pred: ArrayLike<number>;
  /** Class names in index order (e.g. `SHAPES`, `COLOURS` of @repo/dataset). */
  labels: readonly string[];
}

/** Truth and predictions of the heads a model has: all three, or one for a single-task baseline. */
export interface HeadsInput {
  imageSize: number;
  /** Interleaved pixel coordinates `[x0, y0, x1, y1, …]`. */
  position?: { true: ArrayLike<number>; pred: ArrayLike<number> };
  shape?: ClassificationHeadInput;
  colour?: ClassificationHeadInput;
}

/** The heads of one model scored on one split; a head the model lacks is absent (never scored 0). */
export interface Evaluation {
  imageSize: number;
  position?: RegressionMetrics;
  shape?: ClassificationReport;
  colour?: ClassificationReport;
}

/** Scores the heads given (position, shape, colour, at least one) of one model on one split. */
export function evaluateHeads(input: HeadsInput, options: ClassificationOptions = {}): Evaluation {
  const { imageSize, position, shape, colour } = input;
  if (!position && !shape && !colour) throw new MetricsInputError('an evaluation needs at least one head');
  return {
    imageSize,
    ...(position ? { position: regressionMetrics(position.true, position.pred, imageSize) } : {}),
    ...(shape ? { shape: classificationReport(shape.true, shape.pred, shape.labels, options) } : {}),
    ...(colour ? { colour: classificationReport(colour.true, colour.pred, colour.labels, options) } : {}),
  };
}
