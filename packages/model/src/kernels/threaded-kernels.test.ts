// The kernel comparisons again, on the threaded SIMD build: its memory is a growable
// SharedArrayBuffer and XNNPACK splits work over a pool, so heap views and results are re-checked.
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { backendThreads, initBackend } from '../backend/init-backend.js';

const THREADS = 2;
await initBackend('wasm', { threads: THREADS });

describe('the threaded wasm build', () => {
  test('runs a thread pool of the size asked for (at most the CPUs)', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(backendThreads()).toBe(Math.min(THREADS, availableParallelism()));
  });
});

await import('./conv2d-gradients.test.js');
await import('./fast-kernels.test.js');
