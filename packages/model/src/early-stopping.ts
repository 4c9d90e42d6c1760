import type { EarlyStoppingConfig } from './train-config.js';

/** What early stopping remembers between epochs (it goes into the checkpoint). */
export interface EarlyStoppingState {
  /** Lowest validation loss so far; Infinity before the first epoch. */
  best: number;
  /** 1-based epoch of `best`; 0 before the first epoch. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/** Keras-style early stopping on a loss: stop after `patience` epochs without an improvement of `minDelta`. */
export class EarlyStopping {
  private current: EarlyStoppingState;

  constructor(
    private readonly config: EarlyStoppingConfig,
    state: EarlyStoppingState = { best: Number.POSITIVE_INFINITY, bestEpoch: 0, wait: 0 },
  ) {
    this.current = { ...state };
  }

  get state(): EarlyStoppingState {
    return { ...this.current };
  }

  /** Records an epoch's validation loss; says whether it is the new best and whether to stop now. */
  update(epoch: number, loss: number): { improved: boolean; stop: boolean } {
    const improved = Number.isFinite(loss) && loss < this.current.best - this.config.minDelta;
    this.current = improved
      ? { best: loss, bestEpoch: epoch, wait: 0 }
      : { ...this.current, wait: this.current.wait + 1 };
    return { improved, stop: !improved && this.current.wait >= this.config.patience };
  }
}
