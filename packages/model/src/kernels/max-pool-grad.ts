import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

type PoolInfo = tf.backend_util.Conv2DInfo;

/**
 * Windows that do not overlap (stride = window, the architectures' case): the forward output y
 * already holds each window's maximum, so each window and channel scans its pixels in row-major
 * order only until the first one equal to it, which gets the whole gradient (TensorFlow's choice
 * among ties). dx must be zero on entry.
 */
function routeDisjoint(
  x: Float32Array,
  y: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  info: PoolInfo,
): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - padInfo.top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(h, y0 + info.effectiveFilterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - padInfo.left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(w, x0 + info.effectiveFilterWidth);
        const o = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          const max = y[o + ch] as number;
          window: for (let row = yStart; row < yEnd; row++) {
            for (let col = xStart; col < xEnd; col++) {
              const p = ((b * h + row) * w + col) * c + ch;
              if (x[p] === max) {
                dx[p] = g[o + ch] as number;
                break window;
              }
            }
          }
        }
      }
    }
  }
}

/**
 * 2×2 windows at stride 2 with no padding above or left (the architectures' pools, valid or same):
 * as `routeDisjoint`, with the four pixels of a whole window tested in row-major order without
 * loops or index arithmetic per pixel; windows clipped by the bottom or right edge go the general way.
 * dx must be zero on entry.
 */
function routePairs(
  x: Float32Array,
  y: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  info: PoolInfo,
): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
  const fullRows = Math.min(outHeight, h >> 1);
  const fullCols = Math.min(outWidth, w >> 1);
  const rowStep = w * c;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < fullRows; oy++) {
      let o = (b * outHeight + oy) * outWidth * c;
      let p = (b * h + 2 * oy) * rowStep;
      for (let ox = 0; ox < fullCols; ox++, o += c, p += 2 * c) {
        for (let ch = 0; ch < c; ch++) {
          const max = y[o + ch] as number;
          const grad = g[o + ch] as number;
          const i = p + ch;
          let at = i;
          if (x[i] !== max) {
            if (x[i + c] === max) at = i + c;
            else if (x[i + rowStep] === max) at = i + rowStep;
            else if (x[i + rowStep + c] === max) at = i + rowStep + c;
            else continue; // NaN: no pixel equals it, as in routeDisjoint
          }
          dx[at] = grad;
        }
      }
    }
  }
  if (fullRows < outHeight || fullCols < outWidth) routeEdges(x, y, g, dx, info, fullRows, fullCols);
}

/** The windows of `routePairs` beyond its whole ones (last row or column clipped by the edge). */
function routeEdges(
  x: Float32Array,
  y: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  info: PoolInfo,
  fullRows: number,
  fullCols: number,
): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight, outWidth } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = oy < fullRows ? fullCols : 0; ox < outWidth; ox++) {
        const o = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          const max = y[o + ch] as number;
          window: for (let row = 2 * oy; row < Math.min(h, 2 * oy + 2); row++) {
            for (let col = 2 * ox; col < Math.min(w, 2 * ox + 2); col++) {
              const p = ((b * h + row) * w + col) * c + ch;
              if (x[p] === max) {
                dx[p] = g[o + ch] as number;
                break window;
              }
            }
          }
        }
      }
    }
  }
}

/** Any windows: track each window's first maximum, then add its gradient there. dx must be zero. */
function routeGeneral(x: Float32Array, g: Float32Array, dx: Float32Array, info: PoolInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const maxValue = new Float32Array(c);
  const maxIndex = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - info.padInfo.top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - info.padInfo.left;
        maxValue.fill(Number.NEGATIVE_INFINITY);
        maxIndex.fill(-1);
        for (let y = Math.max(0, y0); y < Math.min(inHeight, y0 + fh); y++) {
          for (let xx = Math.max(0, x0); xx < Math.min(inWidth, x0 + fw); xx++) {
            const base = ((b * inHeight + y) * inWidth + xx) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch] as number;
              if (v > (maxValue[ch] as number)) {
                maxValue[ch] = v;
                maxIndex[ch] = base + ch;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          const at = maxIndex[ch] as number;
          if (at >= 0) dx[at] = (dx[at] as number) + (g[dyBase + ch] as number);
        }
      }
    }
  }
}

/**
 * MaxPoolGrad in JavaScript over the wasm heap, one pass: each window's gradient goes to its first
 * maximum in row-major order, as TensorFlow and the cpu backend route it. Channels are the inner
 * loop, so reads are sequential. wasm's own kernel revisits every window per input pixel (~0.2 s
 * per step for mtl-seed's first pool). Shape: dy [b, oh, ow, c], input [b, h, w, c] → dx.
 */
function maxPoolGrad(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, input, output } = args.inputs as {
    dy: tf.TensorInfo;
    input: tf.TensorInfo;
    output: tf.TensorInfo;
  };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const out = backend.makeOutput(input.shape, 'float32');
  // Heap views are taken after the last allocation: growing the heap would detach them.
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const disjoint =
    info.strideHeight >= info.effectiveFilterHeight && info.strideWidth >= info.effectiveFilterWidth;
  const pairs =
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.effectiveFilterHeight === 2 &&
    info.effectiveFilterWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0;
  dx.fill(0);
  if (pairs && output !== undefined) {
    routePairs(x, backend.typedArrayFromHeap(output) as Float32Array, g, dx, info);
  } else if (disjoint && output !== undefined) {
    routeDisjoint(x, backend.typedArrayFromHeap(output) as Float32Array, g, dx, info);
  } else {
    routeGeneral(x, g, dx, info);
  }
  return out;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
