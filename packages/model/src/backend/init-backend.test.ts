import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, test } from 'vitest';
import { BackendUnavailableError } from './errors.js';
import { initBackend } from './init-backend.js';

/** Whether the native addon loads on this machine (it does not where libtensorflow could not be downloaded). */
async function nativeLoads(): Promise<boolean> {
  const specifier = '@tensorflow/tfjs-node';
  return import(specifier).then(
    () => true,
    () => false,
  );
}

describe('initBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test.each(['wasm', 'cpu'] as const)('%s by name becomes the active backend', async (name) => {
    await expect(initBackend(name)).resolves.toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(Array.from(await tf.add(tf.tensor1d([1, 2]), 1).data())).toEqual([2, 3]);
  });

  test('auto picks tensorflow where the native addon loads, else falls back to wasm', async () => {
    const expected = (await nativeLoads()) ? 'tensorflow' : 'wasm';
    await expect(initBackend('auto')).resolves.toBe(expected);
    expect(tf.getBackend()).toBe(expected);
  });

  test('tensorflow by name fails with a clear error where the native addon does not load', async () => {
    if (await nativeLoads()) {
      await expect(initBackend('tensorflow')).resolves.toBe('tensorflow');
    } else {
      await expect(initBackend('tensorflow')).rejects.toThrow(BackendUnavailableError);
      await expect(initBackend('tensorflow')).rejects.toThrow(/backend "tensorflow" is unavailable/);
    }
  });
});
