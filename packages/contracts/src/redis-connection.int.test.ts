import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { startRedisChild } from '../../../tooling/vitest/redis.js';
import { createRedis, RedisUnreachableError, redactRedisUrl, waitForRedis } from './redis-connection.js';

describe('redis connection', () => {
  it('reaches the real Redis the suite was given', async () => {
    const url = inject('redisUrl');
    const client = createRedis(url, { role: 'worker' });
    try {
      await waitForRedis(client, url, 5_000);
      const key = `mtl-test:${randomUUID()}`;
      await client.set(key, 'ok', 'EX', 10);
      expect(await client.get(key)).toBe('ok');
      await client.del(key);
    } finally {
      client.disconnect();
    }
  });

  it('names the URL, hiding the password, when nothing answers', async () => {
    const url = 'redis://user:secret@127.0.0.1:1';
    const client = createRedis(url);
    client.on('error', () => {});
    try {
      const error = await waitForRedis(client, url, 300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnreachableError);
      expect((error as Error).message).toContain('redis://user:***@127.0.0.1:1');
      expect((error as Error).message).not.toContain('secret');
    } finally {
      client.disconnect();
    }
  });

  it('can start a private redis-server when the environment has none', async () => {
    const redis = await startRedisChild();
    expect(redis, 'redis-server must be installed for this fallback').toBeDefined();
    try {
      const client = createRedis(redis!.url);
      await waitForRedis(client, redis!.url, 5_000);
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      await redis!.stop();
    }
  });
});

describe('redactRedisUrl', () => {
  it('leaves a URL without a password alone', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
  });
});
