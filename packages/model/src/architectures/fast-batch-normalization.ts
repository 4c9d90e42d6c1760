import * as tfc from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-layers';

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/**
 * The fields of tfjs-layers' BatchNormalization that the fast path reads and updates. They are not in
 * its public types and no public API hands them to a subclass's `call`; library-internals.test.ts
 * fails if they change.
 */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: { read(): tfc.Tensor1D } | null;
  beta: { read(): tfc.Tensor1D } | null;
  movingMean: { read(): tfc.Tensor1D; write(value: tfc.Tensor): void };
  movingVariance: { read(): tfc.Tensor1D; write(value: tfc.Tensor): void };
}

const BatchNormalization = tf.layers.batchNormalization({}).constructor as new (
  args: BatchNormArgs,
) => tf.layers.Layer;

/**
 * x·scale + offset per channel. For 4-D input this is a 1×1 depthwise conv with bias: one XNNPACK
 * pass, where wasm's broadcasting multiply and add take two slower ones. Shape: x [..., c],
 * scale and offset [c] → [..., c].
 */
function channelAffine(x: tfc.Tensor, scale: tfc.Tensor1D, offset: tfc.Tensor1D): tfc.Tensor {
  if (x.rank !== 4) return tfc.add(tfc.mul(x, scale), offset);
  const filter = tfc.reshape(scale, [1, 1, scale.size, 1]) as tfc.Tensor4D;
  return tfc.fused.depthwiseConv2d({ x: x as tfc.Tensor4D, filter, strides: 1, pad: 'valid', bias: offset });
}

/**
 * Batch normalisation of a channels-last batch on its own statistics, with its gradient written
 * out (per channel: dβ = Σdy, dγ = Σdy·x̂, dx = γ/σ · (dy − dβ/n − x̂·dγ/n)) instead of taped
 * through moments, tiles and broadcasts. `onMoments` receives the batch mean and (biased)
 * variance for the moving averages. Shape: x [..., c], gamma and beta [c] → [..., c].
 */
function batchNormTraining(epsilon: number, onMoments: (mean: tfc.Tensor1D, variance: tfc.Tensor1D) => void) {
  return tfc.customGrad((...args: (tfc.Tensor | tfc.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tfc.Tensor, tfc.Tensor1D, tfc.Tensor1D, tfc.GradSaveFunc];
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const count = x.size / (x.shape.at(-1) ?? 1);
    const mean = tfc.mean(x, axes) as tfc.Tensor1D;
    const centered = channelAffine(x, tfc.onesLike(mean), tfc.neg(mean));
    const variance = tfc.mean(tfc.square(centered), axes) as tfc.Tensor1D;
    const invStd = tfc.rsqrt(tfc.add(variance, epsilon)) as tfc.Tensor1D;
    const scale = tfc.mul(gamma, invStd) as tfc.Tensor1D;
    onMoments(mean, variance);
    save([centered, invStd, scale]);
    return {
      value: channelAffine(centered, scale, beta),
      gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => {
        const [c, s, k] = saved as [tfc.Tensor, tfc.Tensor1D, tfc.Tensor1D];
        const dBeta = tfc.sum(dy, axes) as tfc.Tensor1D;
        const dyDotCentered = tfc.sum(tfc.mul(dy, c), axes) as tfc.Tensor1D;
        const dGamma = tfc.mul(dyDotCentered, s);
        // dx = k·dy − k·dβ/n − c·(k·s²·Σdy·c / n), with c = x − mean, k = γ·s.
        const slope = tfc.div(tfc.mul(tfc.mul(k, tfc.square(s)), dyDotCentered), count) as tfc.Tensor1D;
        const shifted = channelAffine(dy, k, tfc.neg(tfc.div(tfc.mul(k, dBeta), count)) as tfc.Tensor1D);
        const dx = tfc.sub(shifted, channelAffine(c, slope, tfc.zerosLike(slope)));
        return [dx, dGamma, dBeta];
      },
    };
  });
}

/**
 * tfjs-layers' BatchNormalization with a faster training path (same results: batch statistics,
 * biased variance, Keras' moving-average update). The stock path tapes moments and batchNorm and
 * its gradient tiles per-channel factors to the full activation size: ~0.5 s of a wasm training
 * step for mtl-seed. Inference and unusual configurations use the stock code. It serialises as a
 * plain `BatchNormalization`.
 */
export class FastBatchNormalization extends BatchNormalization {
  override call(
    inputs: tfc.Tensor | tfc.Tensor[],
    kwargs: Record<string, unknown>,
  ): tfc.Tensor | tfc.Tensor[] {
    const self = this as unknown as BatchNormInternals;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const channelsLast = x !== undefined && (self.axis === -1 || self.axis === x.rank - 1);
    if (kwargs.training !== true || !channelsLast || self.gamma === null || self.beta === null) {
      return super.call(inputs, kwargs);
    }
    const gamma = self.gamma;
    const beta = self.beta;
    return tfc.tidy(() => {
      let moments: [tfc.Tensor1D, tfc.Tensor1D] | undefined;
      const normalise = batchNormTraining(self.epsilon, (mean, variance) => {
        // Made inside the op's own scope: kept past it, freed below.
        moments = [tfc.keep(mean), tfc.keep(variance)];
      });
      const y = normalise(x, gamma.read(), beta.read());
      if (moments !== undefined) {
        const [mean, variance] = moments;
        const decay = 1 - self.momentum;
        for (const [variable, value] of [
          [self.movingMean, mean],
          [self.movingVariance, variance],
        ] as const) {
          const current = variable.read();
          variable.write(tfc.sub(current, tfc.mul(tfc.sub(current, value), decay)));
        }
        tfc.dispose([mean, variance]);
      }
      return y;
    });
  }
}
