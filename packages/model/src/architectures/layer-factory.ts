import * as tf from '@tensorflow/tfjs-layers';
import type { ArchitectureOptions } from './architecture-options.js';
import { ArchitectureSizeError } from './errors.js';
import { FastBatchNormalization } from './fast-batch-normalization.js';
import { UnfusedConv2D } from './unfused-conv2d.js';

type SymbolicTensor = tf.SymbolicTensor;
type Padding = 'valid' | 'same';

/**
 * Builds the layers of one architecture: scales widths, gives every layer a stable name (so weight
 * names do not depend on what else the process built) and, when a seed is given, its own seeded
 * Glorot-uniform initialiser (Keras' default, as in the study).
 */
export class LayerFactory {
  private layerIndex = 0;

  constructor(
    private readonly architecture: string,
    private readonly options: ArchitectureOptions,
  ) {}

  /** Filters or units scaled by the width multiplier. */
  width(n: number): number {
    return Math.max(1, Math.round(n * this.options.widthMultiplier));
  }

  /** A dropout rate for `head`, after the options' scale or override; 0 means no dropout layer. */
  dropoutRate(head: 'shape' | 'colour', studyRate: number): number {
    const dropout = this.options.dropout;
    if (dropout === undefined) return studyRate;
    if (typeof dropout === 'number') return Math.min(0.95, studyRate * dropout);
    return dropout[head];
  }

  /** Convolution (scaled filters), stride 1. Shape: [b, h, w, c] → [b, h', w', filters]. */
  conv(
    x: SymbolicTensor,
    name: string,
    filters: number,
    kernelSize: number,
    padding: Padding,
    activation: 'relu' | 'linear' = 'linear',
  ): SymbolicTensor {
    const layer = new UnfusedConv2D({
      name,
      filters: this.width(filters),
      kernelSize,
      padding,
      activation,
      kernelInitializer: this.kernelInitializer(),
    });
    return this.checked(layer.apply(x) as SymbolicTensor, name);
  }

  /** Dense layer. `scaled`: hidden layers follow the width multiplier; output layers do not. */
  dense(
    x: SymbolicTensor,
    name: string,
    units: number,
    activation: 'relu' | 'linear' | 'softmax',
    scaled: boolean,
  ): SymbolicTensor {
    const layer = tf.layers.dense({
      name,
      units: scaled ? this.width(units) : units,
      activation,
      kernelInitializer: this.kernelInitializer(),
    });
    return layer.apply(x) as SymbolicTensor;
  }

  batchNorm(x: SymbolicTensor, name: string): SymbolicTensor {
    return new FastBatchNormalization({ name }).apply(x) as SymbolicTensor;
  }

  relu(x: SymbolicTensor, name: string): SymbolicTensor {
    return tf.layers.activation({ name, activation: 'relu' }).apply(x) as SymbolicTensor;
  }

  /** Max pooling with pool = stride = `size`. Shape: [b, h, w, c] → [b, h/size, w/size, c]. */
  maxPool(x: SymbolicTensor, name: string, size: number, padding: Padding = 'valid'): SymbolicTensor {
    const layer = tf.layers.maxPooling2d({ name, poolSize: size, strides: size, padding });
    return this.checked(layer.apply(x) as SymbolicTensor, name);
  }

  flatten(x: SymbolicTensor, name: string): SymbolicTensor {
    return tf.layers.flatten({ name }).apply(x) as SymbolicTensor;
  }

  /** Dropout, or `x` itself when the rate is 0. */
  dropout(x: SymbolicTensor, name: string, rate: number): SymbolicTensor {
    return rate > 0 ? (tf.layers.dropout({ name, rate }).apply(x) as SymbolicTensor) : x;
  }

  private kernelInitializer(): ReturnType<typeof tf.initializers.glorotUniform> {
    const seed = this.options.seed;
    this.layerIndex += 1;
    if (seed === undefined) return tf.initializers.glorotUniform({});
    // A distinct, reproducible seed per layer (golden-ratio mixing keeps nearby seeds apart).
    return tf.initializers.glorotUniform({ seed: (seed + Math.imul(this.layerIndex, 0x9e3779b9)) >>> 0 });
  }

  private checked(y: SymbolicTensor, name: string): SymbolicTensor {
    const [, h, w] = y.shape;
    if (h === null || w === null || h === undefined || w === undefined || h < 1 || w < 1) {
      throw new ArchitectureSizeError(this.architecture, name, this.options.imageSize);
    }
    return y;
  }
}
