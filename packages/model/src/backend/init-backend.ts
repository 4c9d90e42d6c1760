import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels } from '../kernels/register-wasm-kernels.js';
import { BACKEND_NAMES, type BackendName, type BackendPreference } from './backend-names.js';
import { BackendUnavailableError } from './errors.js';

/**
 * Picks and initialises the TF.js backend and resolves to its name (the caller logs and records
 * it). `auto` tries tensorflow (native, only where `@tensorflow/tfjs-node` and its library load),
 * then wasm (with this package's training kernels), then cpu. A named backend that cannot start
 * throws `BackendUnavailableError`.
 */
export async function initBackend(preference: BackendPreference): Promise<BackendName> {
  if (preference !== 'auto') {
    await start(preference);
    return preference;
  }
  const failures: string[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      await start(name);
      return name;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new BackendUnavailableError('auto', failures.join('; '));
}

async function start(name: BackendName): Promise<void> {
  if (name === 'tensorflow') await loadNative();
  if (name === 'wasm') registerWasmKernels();
  let ready: boolean;
  try {
    ready = await tf.setBackend(name);
  } catch (error) {
    throw new BackendUnavailableError(name, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  if (!ready) throw new BackendUnavailableError(name, 'it failed to initialise');
  await tf.ready();
}

/** Registers the `tensorflow` backend; the native addon is optional, so it is only imported here. */
async function loadNative(): Promise<void> {
  if (tf.findBackendFactory('tensorflow') !== null) return;
  // A variable specifier keeps TypeScript from requiring the optional package at build time.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BackendUnavailableError('tensorflow', reason ?? 'it did not load', { cause: error });
  }
}
