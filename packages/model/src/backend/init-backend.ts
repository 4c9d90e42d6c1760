import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels } from '../kernels/register-wasm-kernels.js';
import { BACKEND_NAMES, type BackendName, type BackendPreference } from './backend-names.js';
import { BackendUnavailableError } from './errors.js';

export interface BackendOptions {
  /**
   * Threads one process computes with on wasm (default 1). More than one starts the threaded SIMD
   * build (XNNPACK's thread pool; on Node through this repository's patch of tfjs-backend-wasm);
   * the pool holds at most the machine's CPUs (and 8). The first wasm start in a process fixes it.
   */
  threads?: number;
}

/**
 * Picks and initialises the TF.js backend and resolves to its name (the caller logs and records
 * it). `auto` tries tensorflow (native, only where `@tensorflow/tfjs-node` and its library load),
 * then wasm (with this package's training kernels), then cpu. A named backend that cannot start
 * throws `BackendUnavailableError`.
 */
export async function initBackend(
  preference: BackendPreference,
  options: BackendOptions = {},
): Promise<BackendName> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a whole number of at least 1, got ${threads}`);
  if (preference !== 'auto') {
    await start(preference, threads);
    return preference;
  }
  const failures: string[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      await start(name, threads);
      return name;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new BackendUnavailableError('auto', failures.join('; '));
}

/**
 * Threads the active backend computes with, as recorded beside its name: XNNPACK's pool size on
 * wasm, 1 on cpu; undefined on tensorflow (TensorFlow sizes its own pools).
 */
export function backendThreads(): number | undefined {
  const name = tf.getBackend();
  if (name === 'wasm') return getThreadsCount();
  if (name === 'cpu') return 1;
  return undefined;
}

async function start(name: BackendName, threads: number): Promise<void> {
  if (name === 'tensorflow') await loadNative();
  if (name === 'wasm') {
    registerWasmKernels();
    configureWasmThreads(threads);
  }
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

/**
 * Asks for the threaded wasm build before its first start. tfjs-backend-wasm turns the build off on
 * Node (`WASM_HAS_MULTITHREAD_SUPPORT`); our patch makes it start there (packages/model/README.md).
 */
function configureWasmThreads(threads: number): void {
  if (wasmThreadsAsked !== undefined) {
    if (wasmThreadsAsked !== threads)
      throw new BackendUnavailableError(
        'wasm',
        `this process started it with ${wasmThreadsAsked} thread(s); ${threads} cannot be set after its start`,
      );
    return;
  }
  wasmThreadsAsked = threads;
  if (threads === 1) return;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
}

/** The thread count of the process's first wasm start (the backend keeps its pool for good). */
let wasmThreadsAsked: number | undefined;
