import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runOriginal } from './original-kernels.js';

/**
 * Identity, and Cast to the same dtype, as a new reference to the same data (as Reshape already is,
 * and as the cpu backend does) instead of a copy. Kernels never write to their inputs, so sharing is
 * safe. A training step clones every tensor a custom gradient saves and casts the ReLU masks: ~10
 * full-size copies per step.
 */
function share(args: Parameters<tf.KernelFunc>[0], kernelName: string): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const dtype = kernelName === tf.Cast ? (args.attrs as unknown as tf.CastAttrs).dtype : x.dtype;
  if (x.dtype === 'string' || dtype !== x.dtype) return runOriginal(kernelName, args);
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: (args) => share(args, tf.Identity),
};

export const castConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: (args) => share(args, tf.Cast),
};
