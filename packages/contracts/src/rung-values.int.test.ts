import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { createRedis } from './redis-connection.js';
import { RungValues } from './rung-values.js';

describe('RungValues', () => {
  let redis: Redis;
  let prefix: string;
  let rungs: RungValues;
  const lower = (a: number, b: number) => !Number.isNaN(a) && (Number.isNaN(b) || a < b);

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'));
    prefix = `test-${randomUUID()}`;
    rungs = new RungValues(redis, prefix);
  });

  afterEach(async () => {
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
  });

  it('keeps each trial’s best value up to each epoch, one hash per epoch', async () => {
    expect(await rungs.record('sw', 'a', 1, 0.9, lower)).toBe(0.9);
    expect(await rungs.record('sw', 'a', 2, 1.2, lower)).toBe(0.9);
    expect(await rungs.record('sw', 'a', 3, 0.4, lower)).toBe(0.4);
    expect(await rungs.record('sw', 'b', 1, Number.NaN, lower)).toBeNaN();
    expect(await rungs.record('sw', 'b', 2, 0.7, lower)).toBe(0.7);
    expect([...(await rungs.at('sw', 2))].sort()).toEqual([
      ['a', 0.9],
      ['b', 0.7],
    ]);
    expect([...(await rungs.at('sw', 3))]).toEqual([['a', 0.4]]);
    expect(await redis.keys(`${prefix}:sweep:sw:best:*`)).toHaveLength(3);
  });

  it('a trial resumed elsewhere goes on from its recorded best; recording an epoch again is idempotent', async () => {
    await rungs.record('sw', 'a', 1, 0.5, lower);
    const resumed = new RungValues(createRedis(inject('redisUrl')), prefix);
    expect(await resumed.record('sw', 'a', 2, 0.8, lower)).toBe(0.5);
    expect(await resumed.record('sw', 'a', 2, 0.8, lower)).toBe(0.5);
    expect([...(await rungs.at('sw', 2))]).toEqual([['a', 0.5]]);
  });
});
