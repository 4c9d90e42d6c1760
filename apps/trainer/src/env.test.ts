import { EnvError } from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { readTrainerEnv } from './env.js';

describe('trainer environment', () => {
  it('defaults to automatic backend choice and 30 s locks', () => {
    expect(readTrainerEnv({})).toMatchObject({
      MTL_BACKEND: 'auto',
      TRAINER_THREADS: 1,
      DATASET_POLL_MS: 2_000,
      DATASET_WAIT_TIMEOUT_MS: 3_600_000,
      LOCK_DURATION_MS: 30_000,
      STALLED_INTERVAL_MS: 30_000,
    });
  });

  it('reads numbers from strings and names a bad backend', () => {
    expect(readTrainerEnv({ LOCK_DURATION_MS: '5000' }).LOCK_DURATION_MS).toBe(5_000);
    expect(() => readTrainerEnv({ MTL_BACKEND: 'gpu' })).toThrow(EnvError);
    expect(() => readTrainerEnv({ MTL_BACKEND: 'gpu' })).toThrow(/MTL_BACKEND/);
    expect(() => readTrainerEnv({ DATASET_POLL_MS: '0' })).toThrow(/DATASET_POLL_MS/);
    expect(readTrainerEnv({ TRAINER_THREADS: '2' }).TRAINER_THREADS).toBe(2);
    expect(() => readTrainerEnv({ TRAINER_THREADS: '0' })).toThrow(/TRAINER_THREADS/);
  });
});
