import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, conv2d, release, reshape, transpose } from './wasm-kernel-calls.js';

/**
 * Inserts `stride - 1` zeros between the pixels of dy, so a strided conv's input gradient is a
 * stride-1 conv. Shape: [b, oh, ow, c] → [b, (oh - 1)·sh + 1, (ow - 1)·sw + 1, c].
 */
function dilate(backend: BackendWasm, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [b, oh, ow, c] = dy.shape as [number, number, number, number];
  const spread = reshape(backend, dy, [b, oh, 1, ow, 1, c]);
  const padded = callKernel(
    backend,
    tf.PadV2,
    { x: spread },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const flat = reshape(backend, padded, [b, oh * sh, ow * sw, c]);
  const dilated = callKernel(
    backend,
    tf.Slice,
    { x: flat },
    { begin: [0, 0, 0, 0], size: [b, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c] },
  );
  release(backend, spread, padded, flat);
  return dilated;
}

/**
 * dx of a conv as one forward "full" convolution of dy with the filter flipped in space and its
 * channel axes swapped. Shape: dy [b, oh, ow, cOut], filter [fh, fw, cIn, cOut] → dx [b, h, w, cIn].
 */
function conv2dBackpropInput(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== 'channelsLast')
    throw new Error('Conv2DBackpropInput (wasm): only NHWC is supported');
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;

  const source = sh > 1 || sw > 1 ? dilate(backend, dy, sh, sw) : dy;
  const flipped = callKernel(backend, tf.Reverse, { x: filter }, { dims: [0, 1] });
  const swapped = transpose(backend, flipped, [0, 1, 3, 2]); // [fh, fw, cOut, cIn]
  release(backend, flipped);
  const top = fh - 1 - padInfo.top;
  const left = fw - 1 - padInfo.left;
  const [, dh, dw] = source.shape as [number, number, number, number];
  const bottom = info.inHeight + fh - 1 - dh - top;
  const right = info.inWidth + fw - 1 - dw - left;
  const dx = conv2d(backend, source, swapped, [top, bottom, left, right]);
  release(backend, swapped);
  if (source !== dy) release(backend, source);
  return dx;
}

export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
