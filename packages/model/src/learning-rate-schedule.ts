import * as tf from '@tensorflow/tfjs-core';
import type { ReduceLrOnPlateauConfig } from './train-config.js';

/**
 * Keras-style ReduceLROnPlateau on the validation loss: after `patience` epochs without an improvement
 * of `minDelta`, the rate is multiplied by `factor` (never below `minLearningRate`) and the wait starts
 * again. Computed from the validation losses so far, so a resumed run needs no state of its own.
 * Returns the learning rate of the epoch that follows `valLosses`.
 */
export function plateauLearningRate(
  initial: number,
  valLosses: readonly number[],
  config: ReduceLrOnPlateauConfig | undefined,
): number {
  if (config === undefined) return initial;
  let rate = initial;
  let best = Number.POSITIVE_INFINITY;
  let wait = 0;
  for (const loss of valLosses) {
    if (Number.isFinite(loss) && loss < best - config.minDelta) {
      best = loss;
      wait = 0;
    } else if (++wait >= config.patience) {
      rate = Math.max(rate * config.factor, Math.min(config.minLearningRate, rate));
      wait = 0;
    }
  }
  return rate;
}

/** Adam whose learning rate can change between epochs (tfjs reads the field at every step). */
export class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}
