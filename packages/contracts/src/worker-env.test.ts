import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv, workerEnvSchema } from './worker-env.js';

describe('workerEnvSchema', () => {
  it('takes the defaults for unset and empty variables', () => {
    expect(parseEnv(workerEnvSchema, { REDIS_URL: '' })).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      ARTIFACTS_DIR: './artifacts',
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'mtl',
    });
  });

  it('names every bad variable', () => {
    const error = (() => {
      try {
        parseEnv(workerEnvSchema, { REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect(error?.message).toMatch(/REDIS_URL: .*LOG_LEVEL: /);
  });
});
