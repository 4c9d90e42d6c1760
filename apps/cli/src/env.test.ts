import { describe, expect, it } from 'vitest';
import { DEFAULT_REDIS_URL, readEnv, redisUrl } from './env.js';
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

describe('empty variables', () => {
  it('an empty MTL_BACKEND or REDIS_URL means unset: the default', () => {
    expect(readEnv({ MTL_BACKEND: '' }).MTL_BACKEND).toBe('auto');
    expect(redisUrl(undefined, { REDIS_URL: '' })).toBe(DEFAULT_REDIS_URL);
    expect(redisUrl(undefined, {})).toBe(DEFAULT_REDIS_URL);
  });
});

describe('redisUrl', () => {
  it('takes --redis over REDIS_URL and accepts redis:// and rediss:// URLs', () => {
    expect(redisUrl('redis://a:1', { REDIS_URL: 'redis://b:2' })).toBe('redis://a:1');
    expect(redisUrl(undefined, { REDIS_URL: 'rediss://user:pw@b:2/3' })).toBe('rediss://user:pw@b:2/3');
  });

  it('refuses what is not a Redis URL, naming where it came from and hiding a password', () => {
    expect(() => redisUrl(undefined, { REDIS_URL: 'http://x' })).toThrow(
      /^REDIS_URL="http:\/\/x": not a Redis URL/,
    );
    expect(() => redisUrl('redis://h:99999')).toThrow(/^--redis="redis:\/\/h:99999"/);
    expect(() => redisUrl(undefined, { REDIS_URL: 'redis://u:secret@h:70000' })).toThrow(/u:\*\*\*@h/);
    expect(() => redisUrl(undefined, { REDIS_URL: 'garbage' })).toThrow(UsageError);
  });
});
