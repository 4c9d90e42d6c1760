import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runOriginal } from './original-kernels.js';
import { callKernel, release, reshape } from './wasm-kernel-calls.js';

/** XNNPACK's broadcasting binary ops take at most this rank. */
const MAX_BROADCAST_RANK = 6;

/**
 * Tile as a broadcast: x [d0, d1, …] viewed as [1, d0, 1, d1, …] plus zeros [r0, 1, r1, 1, …] is
 * [r0, d0, r1, d1, …], i.e. x tiled. Unit axes are dropped and neighbours of the same kind merged
 * so the broadcast stays within XNNPACK's rank. wasm's own Tile is an element-by-element loop
 * (~0.4 s for the batch-norm gradient's [16, 119, 119, 32]).
 */
function tile(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { reps } = args.attrs as unknown as tf.TileAttrs;
  const dims: { size: number; repeat: boolean }[] = [];
  x.shape.forEach((size, i) => {
    for (const dim of [
      { size: reps[i] ?? 1, repeat: true },
      { size, repeat: false },
    ]) {
      if (dim.size === 1) continue;
      const last = dims.at(-1);
      if (last !== undefined && last.repeat === dim.repeat) last.size *= dim.size;
      else dims.push({ ...dim });
    }
  });
  const outShape = x.shape.map((size, i) => size * (reps[i] ?? 1));
  if (x.dtype !== 'float32' || dims.length > MAX_BROADCAST_RANK || tf.util.sizeFromShape(outShape) === 0) {
    return runOriginal(tf.Tile, args);
  }
  const source = reshape(
    backend,
    x,
    dims.map((d) => (d.repeat ? 1 : d.size)),
  );
  const zeros = callKernel(
    backend,
    tf.Fill,
    {},
    { shape: dims.map((d) => (d.repeat ? d.size : 1)), value: 0, dtype: 'float32' },
  );
  const wide = callKernel(backend, tf.Add, { a: source, b: zeros });
  const out = reshape(backend, wide, outShape);
  release(backend, source, zeros, wide);
  return out;
}

export const tileConfig: tf.KernelConfig = { kernelName: tf.Tile, backendName: 'wasm', kernelFunc: tile };
