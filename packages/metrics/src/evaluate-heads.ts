import {
  type ClassificationOptions,
  type ClassificationReport,
  classificationReport,
} from './classification-report.js';
import { type RegressionMetrics, regressionMetrics } from './regression.js';

/** True and predicted class indices of one classification head, with its label order. */
export interface ClassificationHeadInput {
  true: ArrayLike<number>;
  pred: ArrayLike<number>;
  /** Class names in index order (e.g. `SHAPES`, `COLOURS` of @repo/dataset). */
  labels: readonly string[];
}

export interface HeadsInput {
  imageSize: number;
  /** Interleaved pixel coordinates `[x0, y0, x1, y1, …]`. */
  position: { true: ArrayLike<number>; pred: ArrayLike<number> };
  shape: ClassificationHeadInput;
  colour: ClassificationHeadInput;
}

/** The three heads scored on one split. */
export interface Evaluation {
  imageSize: number;
  position: RegressionMetrics;
  shape: ClassificationReport;
  colour: ClassificationReport;
}

/** Scores the position, shape and colour heads of one model on one split. */
export function evaluateHeads(input: HeadsInput, options: ClassificationOptions = {}): Evaluation {
  const { imageSize, position, shape, colour } = input;
  return {
    imageSize,
    position: regressionMetrics(position.true, position.pred, imageSize),
    shape: classificationReport(shape.true, shape.pred, shape.labels, options),
    colour: classificationReport(colour.true, colour.pred, colour.labels, options),
  };
}
