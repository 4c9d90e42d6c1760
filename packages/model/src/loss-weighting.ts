import * as tf from '@tensorflow/tfjs-core';
import { HEAD_NAMES } from './heads.js';
import type { HistoryEntry } from './history.js';
import type { LossWeighting } from './loss-weighting-config.js';

/** GradNorm's weights stay above this before they are renormalised (a weight of 0 could never recover). */
const GRADNORM_FLOOR = 1e-3;

/** What a checkpoint keeps of a weighting: its variables' values and GradNorm's initial losses. */
export interface LossWeighterState {
  /** Each variable's values, in `variables` order (float32 values, exact as JSON numbers). */
  variables: number[][];
  /** GradNorm: the heads' losses at the phase's first step. */
  initialLosses?: number[];
}

/**
 * A loss weighting during one phase. Vectors are per head, in `HEAD_NAMES` order (K heads).
 * Learned weightings own variables that the phase's optimizer updates after the model's weights.
 */
export interface LossWeighter {
  /** Trained by the phase's optimizer, after the model's variables (so their Adam slots are checkpointed). */
  readonly variables: tf.Variable[];
  /**
   * GradNorm: the step measures ‖∇_W L_k‖ on the last shared layer W for `variableGradients`, which
   * gives the variables' gradients; otherwise autodiff of `total` does.
   */
  readonly needsHeadGradientNorms: boolean;
  /** Called before each epoch with the phase's history so far (DWA reads its last two epochs). */
  startEpoch(history: readonly HistoryEntry[]): void;
  /** The objective to minimise from the heads' losses [K]; differentiable in the model and in `variables`. */
  total(losses: tf.Tensor1D): tf.Scalar;
  /**
   * GradNorm's gradients of `variables` from this step's losses [K] and the heads' gradient norms [K]
   * (`needsHeadGradientNorms`); empty for the others.
   */
  variableGradients(losses: tf.Tensor1D, gradientNorms: tf.Tensor1D | undefined): tf.Tensor[];
  /** After the optimizer's step (GradNorm renormalises). */
  afterStep(): void;
  /** The weights in effect now, one per head: what `total` multiplies each head's loss by. */
  weights(): number[];
  state(): LossWeighterState;
  restore(state: LossWeighterState): void;
  dispose(): void;
}

/** A fresh weighter for `config` (learned weights start at 1). */
export function createLossWeighter(config: LossWeighting): LossWeighter {
  switch (config.kind) {
    case 'static':
      return new FixedWeighter(HEAD_NAMES.map((head) => config.weights[head]));
    case 'dwa':
      return new DwaWeighter(config.temperature);
    case 'uncertainty':
      return new UncertaintyWeighter();
    case 'gradnorm':
      return new GradNormWeighter(config.alpha);
  }
}

/**
 * DWA's weights for the next epoch from the mean training losses of the epochs so far (oldest first,
 * each [K]): λ_k = K·exp(r_k/T) / Σ_i exp(r_i/T) with r_k = L_k(t−1) / L_k(t−2); 1 each before two epochs.
 */
export function dwaWeights(epochLosses: readonly (readonly number[])[], temperature: number): number[] {
  const last = epochLosses.at(-1);
  const before = epochLosses.at(-2);
  if (last === undefined || before === undefined) return HEAD_NAMES.map(() => 1);
  const scaled = last.map((loss, k) => loss / (before[k] as number) / temperature);
  // Subtracting the largest keeps exp finite; the ratio is unchanged.
  const top = Math.max(...scaled);
  const exps = scaled.map((value) => Math.exp(value - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => (last.length * value) / sum);
}

/**
 * GradNorm's gradient of L_grad = Σ_k |G_k − Ḡ·r_k^α| with respect to the weights w [K], where
 * G_k = w_k·‖∇_W L_k‖ (`norms` [K]), Ḡ their mean, r_k = (L_k/L_k(0)) / mean_i(L_i/L_i(0)), and the
 * target Ḡ·r_k^α held constant as in the paper. G_k is linear in w_k, so ∂L_grad/∂w_k =
 * sign(G_k − target_k)·‖∇_W L_k‖: no second-order gradient is needed. Shape: [K].
 */
export function gradNormWeightGradient(
  weights: tf.Tensor1D,
  norms: tf.Tensor1D,
  losses: tf.Tensor1D,
  initialLosses: tf.Tensor1D,
  alpha: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const norm = tf.mul(weights, norms);
    const ratio = tf.div(losses, initialLosses);
    const relative = tf.div(ratio, tf.mean(ratio));
    const target = tf.mul(tf.mean(norm), tf.pow(relative, alpha));
    return tf.mul(tf.sign(tf.sub(norm, target)), norms) as tf.Tensor1D;
  });
}

/** GradNorm's renormalisation: weights floored at a small positive value, then scaled to sum K. */
export function renormalise(weights: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const floored = tf.maximum(weights, GRADNORM_FLOOR);
    return tf.div(tf.mul(floored, weights.size), tf.sum(floored)) as tf.Tensor1D;
  });
}

/** Uncertainty weighting's objective Σ_k exp(−s_k)·L_k + s_k for log-variances s [K]. */
export function uncertaintyTotal(losses: tf.Tensor1D, logVariances: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.add(tf.mul(tf.exp(tf.neg(logVariances)), losses), logVariances)));
}

function weightedSum(losses: tf.Tensor1D, weights: tf.Tensor1D | readonly number[]): tf.Scalar {
  return tf.sum(tf.mul(losses, Array.isArray(weights) ? tf.tensor1d(weights) : (weights as tf.Tensor1D)));
}

/** Static weights (and the base of DWA, whose weights change between epochs only). */
class FixedWeighter implements LossWeighter {
  readonly variables: tf.Variable[] = [];
  readonly needsHeadGradientNorms: boolean = false;

  constructor(protected current: number[]) {}

  startEpoch(_history: readonly HistoryEntry[]): void {}

  total(losses: tf.Tensor1D): tf.Scalar {
    return weightedSum(losses, this.current);
  }

  variableGradients(): tf.Tensor[] {
    return [];
  }

  afterStep(): void {}

  weights(): number[] {
    return [...this.current];
  }

  state(): LossWeighterState {
    return { variables: [] };
  }

  restore(_state: LossWeighterState): void {}

  dispose(): void {}
}

class DwaWeighter extends FixedWeighter {
  constructor(private readonly temperature: number) {
    super(HEAD_NAMES.map(() => 1));
  }

  override startEpoch(history: readonly HistoryEntry[]): void {
    const losses = history.map((entry) => HEAD_NAMES.map((head) => entry.train[`${head}_loss`] as number));
    this.current = dwaWeights(losses, this.temperature);
  }
}

/** Owns one trainable vector [K] of learned values. */
abstract class LearnedWeighter implements LossWeighter {
  protected readonly vector: tf.Variable<tf.Rank.R1>;
  abstract readonly needsHeadGradientNorms: boolean;

  constructor(initial: number) {
    // tidy frees the filled tensor; the variable outlives it.
    this.vector = tf.tidy(() => tf.variable(tf.fill([HEAD_NAMES.length], initial) as tf.Tensor1D, true));
  }

  get variables(): tf.Variable[] {
    return [this.vector];
  }

  startEpoch(_history: readonly HistoryEntry[]): void {}
  abstract total(losses: tf.Tensor1D): tf.Scalar;
  abstract variableGradients(losses: tf.Tensor1D, gradientNorms: tf.Tensor1D | undefined): tf.Tensor[];
  afterStep(): void {}
  abstract weights(): number[];

  state(): LossWeighterState {
    return { variables: [Array.from(this.vector.dataSync())] };
  }

  restore(state: LossWeighterState): void {
    const values = state.variables[0];
    if (values?.length !== HEAD_NAMES.length) throw new Error('checkpointed loss weighting does not fit');
    tf.tidy(() => this.vector.assign(tf.tensor1d(values)));
  }

  dispose(): void {
    this.vector.dispose();
  }
}

/** Kendall et al.: the vector holds log-variances s, starting at 0 (weight 1). */
class UncertaintyWeighter extends LearnedWeighter {
  readonly needsHeadGradientNorms = false;

  constructor() {
    super(0);
  }

  total(losses: tf.Tensor1D): tf.Scalar {
    return uncertaintyTotal(losses, this.vector);
  }

  variableGradients(): tf.Tensor[] {
    return [];
  }

  weights(): number[] {
    return tf.tidy(() => Array.from(tf.exp(tf.neg(this.vector)).dataSync()));
  }
}

/** Chen et al.: the vector holds the weights, starting at 1 and summing to K. */
class GradNormWeighter extends LearnedWeighter {
  readonly needsHeadGradientNorms = true;
  private initialLosses: tf.Tensor1D | undefined;

  constructor(private readonly alpha: number) {
    super(1);
  }

  /** Constant in the model's objective (the step does not differentiate it); `variableGradients` trains it. */
  total(losses: tf.Tensor1D): tf.Scalar {
    return weightedSum(losses, this.vector);
  }

  variableGradients(losses: tf.Tensor1D, gradientNorms: tf.Tensor1D | undefined): tf.Tensor[] {
    if (gradientNorms === undefined) throw new Error('GradNorm needs the heads’ gradient norms');
    this.initialLosses ??= tf.keep(losses.clone());
    return [gradNormWeightGradient(this.vector, gradientNorms, losses, this.initialLosses, this.alpha)];
  }

  override afterStep(): void {
    tf.tidy(() => this.vector.assign(renormalise(this.vector)));
  }

  weights(): number[] {
    return Array.from(this.vector.dataSync());
  }

  override state(): LossWeighterState {
    return {
      ...super.state(),
      ...(this.initialLosses ? { initialLosses: Array.from(this.initialLosses.dataSync()) } : {}),
    };
  }

  override restore(state: LossWeighterState): void {
    super.restore(state);
    this.initialLosses?.dispose();
    this.initialLosses = state.initialLosses ? tf.keep(tf.tensor1d(state.initialLosses)) : undefined;
  }

  override dispose(): void {
    super.dispose();
    this.initialLosses?.dispose();
  }
}
