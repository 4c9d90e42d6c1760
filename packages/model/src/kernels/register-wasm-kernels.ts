import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';

/** The project's wasm kernels: the conv gradients wasm lacks (filter) or runs slowly (input). */
const WASM_KERNELS: readonly tf.KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig];

/** Registers (or re-registers, replacing wasm's own) the project's wasm training kernels. Idempotent. */
export function registerWasmKernels(): void {
  for (const config of WASM_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) !== undefined) {
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    tf.registerKernel(config);
  }
}
