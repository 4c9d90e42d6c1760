import * as tf from '@tensorflow/tfjs-core';

/** wasm's own kernels that a project kernel replaces but falls back to for cases it does not speed up. */
const originals = new Map<string, tf.KernelConfig>();

/** Remembers wasm's kernel `name` (once: re-registration must not record the project kernel). */
export function rememberOriginal(name: string, replacement: tf.KernelFunc): void {
  const current = tf.getKernel(name, 'wasm');
  if (current !== undefined && current.kernelFunc !== replacement && !originals.has(name)) {
    originals.set(name, current);
  }
}

/** The setup of wasm's kernel (binds its C++ entry point); a replacement that falls back must run it. */
export function originalSetup(name: string): tf.KernelSetupFunc | undefined {
  return originals.get(name)?.setupFunc;
}

/** Runs wasm's own kernel `name` on the same arguments. */
export function runOriginal(name: string, args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const original = originals.get(name);
  if (original === undefined) throw new Error(`wasm has no kernel ${name} to fall back to`);
  const out = original.kernelFunc(args);
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several outputs`);
  return out;
}
