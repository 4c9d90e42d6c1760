import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runOriginal } from './original-kernels.js';
import { callKernel, release, reshape } from './wasm-kernel-calls.js';

/**
 * The number of leading axes `axis` reduces, when it reduces exactly a leading run of at least two
 * axes (as the gradients of a conv bias or of batch-norm do over [batch, h, w]); otherwise undefined.
 */
function leadingAxes(shape: readonly number[], axis: number | number[]): number | undefined {
  const axes = [...new Set(tf.util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  if (axes.length < 2 || axes.some((a, i) => a !== i)) return undefined;
  return axes.length;
}

/**
 * Sum or mean of x over its first k ≥ 2 axes as a global average pool (XNNPACK, one pass) over the
 * last two of them, then a small reduction over the rest. wasm's own kernel transposes the whole
 * tensor first (~30 ms for [16, 119, 119, 32]; a matrix product with ones would repack it).
 * Shape: [d0, …, d(k-1), rest…] → [rest…] (or keepDims).
 */
function reduceLeading(
  backend: BackendWasm,
  args: Parameters<tf.KernelFunc>[0],
  x: tf.TensorInfo,
  k: number,
  mean: boolean,
): tf.TensorInfo {
  const { keepDims } = args.attrs as unknown as tf.SumAttrs;
  const outer = x.shape.slice(0, k - 2).reduce((a, b) => a * b, 1);
  const [h, w] = x.shape.slice(k - 2, k) as [number, number];
  const rest = x.shape.slice(k);
  const n = rest.reduce((a, b) => a * b, 1);
  const image = reshape(backend, x, [outer, h, w, n]);
  const pooled = callKernel(
    backend,
    tf.AvgPool,
    { x: image },
    { filterSize: [h, w], strides: [1, 1], pad: 'valid' },
  );
  const rows = reshape(backend, pooled, [outer, n]);
  release(backend, image, pooled);
  let reduced = rows;
  if (outer > 1) {
    reduced = runOriginal(mean ? tf.Mean : tf.Sum, {
      ...args,
      inputs: { x: rows },
      attrs: { axis: [0], keepDims: false },
    });
    release(backend, rows);
  }
  let scaled = reduced;
  if (!mean) {
    const factor = callKernel(backend, tf.Fill, {}, { shape: [], value: h * w, dtype: 'float32' });
    scaled = callKernel(backend, tf.Multiply, { a: reduced, b: factor });
    release(backend, reduced, factor);
  }
  const out = reshape(backend, scaled, keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest);
  release(backend, scaled);
  return out;
}

function fastReduction(kernelName: string, mean: boolean): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis } = args.attrs as unknown as tf.SumAttrs;
    const k = leadingAxes(x.shape, axis);
    if (x.dtype !== 'float32' || k === undefined || tf.util.sizeFromShape(x.shape) === 0) {
      return runOriginal(kernelName, args);
    }
    return reduceLeading(backend, args, x, k, mean);
  };
}

export const sumConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: fastReduction(tf.Sum, false),
};
export const meanConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: fastReduction(tf.Mean, true),
};
