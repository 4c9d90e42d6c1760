import { describe, expect, it } from 'vitest';
import { readEnv } from './env.js';
import { UsageError } from './errors.js';

describe('readEnv', () => {
  it('defaults MTL_BACKEND to auto and accepts each backend', () => {
    expect(readEnv({}).MTL_BACKEND).toBe('auto');
    for (const name of ['auto', 'tensorflow', 'wasm', 'cpu'])
      expect(readEnv({ MTL_BACKEND: name }).MTL_BACKEND).toBe(name);
  });

  it('names the variable and the bad value', () => {
    expect(() => readEnv({ MTL_BACKEND: 'gpu' })).toThrow(UsageError);
    expect(() => readEnv({ MTL_BACKEND: 'gpu' })).toThrow(/MTL_BACKEND="gpu"/);
  });
});
