import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, conv2d, release, transpose } from './wasm-kernel-calls.js';

/**
 * dW of a conv as one forward convolution: channels of x become its batch, the batch becomes its
 * channels, and dy (its strides as dilation) becomes the filter, so XNNPACK does the whole
 * reduction over batch × output pixels.
 * Shape: x [b, h, w, cIn], dy [b, oh, ow, cOut] → dW [fh, fw, cIn, cOut].
 */
function conv2dBackpropFilter(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast')
    throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  // Padding that makes the output exactly fh × fw; rows a strided conv never read need none.
  const bottom = fh + (info.outHeight - 1) * sh - info.inHeight - padInfo.top;
  const right = fw + (info.outWidth - 1) * sw - info.inWidth - padInfo.left;

  const xT = transpose(backend, x, [3, 1, 2, 0]); // [cIn, h, w, b]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [oh, ow, b, cOut]
  const product = conv2d(
    backend,
    xT,
    dyT,
    [padInfo.top, Math.max(0, bottom), padInfo.left, Math.max(0, right)],
    [sh, sw],
  ); // [cIn, ≥fh, ≥fw, cOut]
  release(backend, xT, dyT);
  let cropped = product;
  if (product.shape[1] !== fh || product.shape[2] !== fw) {
    cropped = callKernel(backend, tf.Slice, { x: product }, { begin: [0, 0, 0, 0], size: [-1, fh, fw, -1] });
    release(backend, product);
  }
  const dw = transpose(backend, cropped, [1, 2, 0, 3]);
  release(backend, cropped);
  return dw;
}

export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
