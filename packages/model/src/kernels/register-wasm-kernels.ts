import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { meanConfig, sumConfig } from './fast-reductions.js';
import { tileConfig } from './fast-tile.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { originalSetup, rememberOriginal } from './original-kernels.js';
import { castConfig, identityConfig } from './shared-copies.js';

/**
 * The project's wasm kernels: the conv gradients wasm lacks (filter) or runs slowly (input), and
 * faster Sum, Mean, Tile, MaxPoolGrad, Identity and Cast for what a training step does (the others
 * fall back to wasm's own kernels for other cases).
 */
const WASM_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  sumConfig,
  meanConfig,
  tileConfig,
  maxPoolGradConfig,
  identityConfig,
  castConfig,
];

/** Registers (or re-registers, replacing wasm's own) the project's wasm training kernels. Idempotent. */
export function registerWasmKernels(): void {
  for (const config of WASM_KERNELS) {
    rememberOriginal(config.kernelName, config.kernelFunc);
    if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    // A fallback to wasm's kernel needs its C++ binding, which its setup makes at backend start.
    const setupFunc = originalSetup(config.kernelName);
    tf.registerKernel(setupFunc === undefined ? config : { ...config, setupFunc });
  }
}
