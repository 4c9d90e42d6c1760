/** The per-head figures of an epoch, in the order `headMetrics` computes them. */
export const METRIC_NAMES = [
  'loss',
  'position_loss',
  'shape_loss',
  'colour_loss',
  'position_mae',
  'shape_acc',
  'colour_acc',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** The metrics of a model with these heads: `loss` and each present head's; an absent head's are left out, not 0. */
export function headMetricNames(heads: readonly string[]): MetricName[] {
  return METRIC_NAMES.filter((name) => name === 'loss' || heads.includes(name.slice(0, name.indexOf('_'))));
}

/**
 * One epoch of training: `loss` is the total (train: the objective minimised; val: the heads' losses
 * with the static weights, or 1 each for a weighting that learns or changes, as early stopping sees it), `*_loss` each head's loss (position: MAE on
 * positions ÷ image size; shape, colour: categorical cross-entropy), `position_mae` the mean absolute
 * error per coordinate in pixels, `*_acc` the share of correct labels. `train` averages the epoch's
 * batches (as Keras reports), `val` is measured after the epoch in inference mode.
 */
export interface HistoryEntry {
  /** 1-based. */
  epoch: number;
  train: Record<string, number>;
  val: Record<string, number>;
  /**
   * The weight each head's loss had at the end of the epoch (by head name): the static weights, the
   * epoch's DWA weights, exp(−s) of uncertainty weighting, GradNorm's learned weights. Absent in
   * histories written before loss weightings had kinds.
   */
  lossWeights?: Record<string, number>;
  /**
   * Task conflict after the epoch, by pair of heads (`position-shape`, `position-colour`,
   * `shape-colour`): the cosine similarity of their losses' gradients with respect to the shared
   * backbone's weights on a fixed training batch. Absent when the heads share no layer or it is off.
   */
  taskConflict?: Record<string, number>;
}

/** Running per-sample means of the metrics over the batches of one pass. */
export class MetricMeans {
  private readonly sums = new Float64Array(METRIC_NAMES.length);
  private samples = 0;

  /** Adds one batch's means (in METRIC_NAMES order) weighted by its sample count. */
  add(batchMeans: ArrayLike<number>, count: number): void {
    for (let i = 0; i < METRIC_NAMES.length; i++) this.sums[i]! += (batchMeans[i] ?? Number.NaN) * count;
    this.samples += count;
  }

  result(): Record<MetricName, number> {
    const out = {} as Record<MetricName, number>;
    METRIC_NAMES.forEach((name, i) => {
      out[name] = this.sums[i]! / this.samples;
    });
    return out;
  }
}
