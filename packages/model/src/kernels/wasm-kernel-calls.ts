import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

type Attrs = tf.NamedAttrMap;

/**
 * Runs the wasm backend's own kernel `name` directly (not through the engine), as a kernel may.
 * The result is a raw `TensorInfo` owned by the caller: free it with `release` unless it is
 * returned as the kernel's output.
 */
export function callKernel(
  backend: BackendWasm,
  name: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Attrs = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`the wasm backend has no kernel ${name}`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned ${out.length} outputs, expected one`);
  return out;
}

/** Frees intermediates made inside a kernel. */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A view of `x` with another shape (same data, one more reference). */
export function reshape(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return callKernel(backend, tf.Reshape, { x }, { shape });
}

export function transpose(backend: BackendWasm, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return callKernel(backend, tf.Transpose, { x }, { perm });
}

/**
 * Forward NHWC convolution on wasm (XNNPACK). `pad`: [top, bottom, left, right], explicit.
 * Shape: x [b, h, w, cIn], filter [fh, fw, cIn, cOut] → [b, h', w', cOut].
 */
export function conv2d(
  backend: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pad: readonly [number, number, number, number],
  dilations: [number, number] = [1, 1],
): tf.TensorInfo {
  const [top, bottom, left, right] = pad;
  return callKernel(
    backend,
    tf.Conv2D,
    { x, filter },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations,
    },
  );
}
