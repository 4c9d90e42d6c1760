import { MetricsInputError } from './errors.js';
import { quantile } from './statistics.js';

/** Errors per axis and their mean over both coordinates. */
export interface AxisErrors {
  x: number;
  y: number;
  mean: number;
}

/** The position head's test errors over `count` samples. */
export interface RegressionMetrics {
  count: number;
  /** Mean absolute error in pixels. */
  maePx: AxisErrors;
  /** Mean absolute error ÷ image size (the scale the position head predicts in). */
  maeNorm: AxisErrors;
  /** Per-sample Euclidean distance in pixels: median and 90th percentile (NumPy's linear interpolation). */
  euclideanPx: { median: number; p90: number };
}

/**
 * Scores predicted positions against true ones. Both are interleaved pixel coordinates
 * `[x0, y0, x1, y1, …]` (Shape: [count, 2] flattened), as `SplitData.positions` and `predict` give them.
 */
export function regressionMetrics(
  truePx: ArrayLike<number>,
  predPx: ArrayLike<number>,
  imageSize: number,
): RegressionMetrics {
  if (truePx.length !== predPx.length || truePx.length % 2 !== 0) {
    throw new MetricsInputError(
      `positions must be (x, y) pairs of equal count, got ${truePx.length} true and ${predPx.length} predicted values`,
    );
  }
  if (!(imageSize > 0)) throw new MetricsInputError(`imageSize must be > 0, got ${imageSize}`);
  const count = truePx.length / 2;
  const distances = new Array<number>(count);
  let absX = 0;
  let absY = 0;
  for (let i = 0; i < count; i++) {
    const dx = predPx[2 * i]! - truePx[2 * i]!;
    const dy = predPx[2 * i + 1]! - truePx[2 * i + 1]!;
    absX += Math.abs(dx);
    absY += Math.abs(dy);
    distances[i] = Math.hypot(dx, dy);
  }
  const maePx = { x: absX / count, y: absY / count, mean: (absX + absY) / (2 * count) };
  return {
    count,
    maePx,
    maeNorm: { x: maePx.x / imageSize, y: maePx.y / imageSize, mean: maePx.mean / imageSize },
    euclideanPx: { median: quantile(distances, 0.5), p90: quantile(distances, 0.9) },
  };
}
