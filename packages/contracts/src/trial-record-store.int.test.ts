import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { createRedis } from './redis-connection.js';
import { sweepKey } from './sweep-registry.js';
import type { TrialIdentity } from './trial-record.js';
import { TrialRecordFencedError } from './trial-record-fenced-error.js';
import { TrialRecordStore } from './trial-record-store.js';
import { TrialRecordVersionError } from './trial-record-version-error.js';

const identity: TrialIdentity = {
  sweepId: 's1',
  trialId: 't1',
  jobId: 's1-t1',
  datasetId: 'd'.repeat(64),
  config: { arch: 'mtl-seed', learningRate: 0.001 },
  seed: 7,
};
const epoch = (n: number, loss: number) => ({ epoch: n, train: { loss: loss + 0.1 }, val: { loss } });

describe('TrialRecordStore', () => {
  let redis: Redis;
  let prefix: string;
  let store: TrialRecordStore;

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'));
    prefix = `test-${randomUUID()}`;
    store = new TrialRecordStore(redis, prefix);
  });

  afterEach(async () => {
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
  });

  it('keeps a trial state and curve in one record that its attempt writes', async () => {
    const writer = await store.startAttempt(identity, 'host/1');
    await writer.epoch(epoch(1, 0.5), { objective: 0.5 });
    await writer.epoch(epoch(2, 0.4), { objective: 0.4 });
    await writer.epoch(epoch(2, 0.4), { objective: 0.4 }); // a resumed attempt writes it again
    const record = await store.record('s1', 't1');
    expect(record).toMatchObject({
      version: 1,
      status: 'running',
      attempts: 1,
      writer: 'host/1',
      objective: 0.4,
      seed: 7,
    });
    expect(record?.curve.map((entry) => entry.val.loss)).toEqual([0.5, 0.4]);
    const states = await store.states('s1', ['t1', 'absent']);
    expect([...states.keys()]).toEqual(['t1']);
  });

  it('fences an earlier attempt out once a later one starts: the zombie writes nothing', async () => {
    const zombie = await store.startAttempt(identity, 'host/1');
    await zombie.epoch(epoch(1, 0.5));
    const successor = await store.startAttempt(identity, 'host/2');
    await expect(zombie.epoch(epoch(2, 9))).rejects.toBeInstanceOf(TrialRecordFencedError);
    await expect(zombie.write({ status: 'completed' })).rejects.toMatchObject({
      code: 'ERR_TRIAL_RECORD_FENCED',
    });
    await successor.epoch(epoch(2, 0.3));
    const record = await store.record('s1', 't1');
    expect(record).toMatchObject({ status: 'running', attempts: 2, writer: 'host/2' });
    expect(record?.curve.map((entry) => entry.val.loss)).toEqual([0.5, 0.3]);
  });

  it('runs beforeWrite before each write, and a refusal there stops the write', async () => {
    let allowed = true;
    const writer = await store.startAttempt(identity, 'host/1', {
      beforeWrite: async () => {
        if (!allowed) throw new Error('lease lost');
      },
    });
    allowed = false;
    await expect(writer.write({ status: 'completed' })).rejects.toThrow('lease lost');
    expect((await store.state('s1', 't1'))?.status).toBe('running');
  });

  it('sets a status outside an attempt unless the current state must stay, and a new attempt clears the outcome', async () => {
    expect(await store.setStatus(identity, 'delayed', { reason: 'waiting for its dataset' })).toBe(true);
    expect(await store.state('s1', 't1')).toMatchObject({ status: 'delayed', attempts: 0 });
    const writer = await store.startAttempt(identity, 'host/1');
    await writer.write({ status: 'failed', reason: 'boom' });
    const ended = (current: { status: string }) => current.status !== 'failed';
    expect(await store.setStatus(identity, 'waiting', { unless: ended })).toBe(true);
    expect(
      await store.setStatus(identity, 'delayed', { unless: (current) => current.status === 'waiting' }),
    ).toBe(false);
    expect(await store.state('s1', 't1')).toMatchObject({ status: 'waiting', attempts: 1 });
    expect((await store.state('s1', 't1'))?.reason).toBeUndefined();
    await (await store.startAttempt(identity, 'host/2')).write({});
    expect(await store.state('s1', 't1')).toMatchObject({ status: 'running', attempts: 2 });
  });

  it('refuses a record of another version by name', async () => {
    await redis.hset(sweepKey(prefix, 's1', 'trial:t1'), 'state', JSON.stringify({ version: 99 }));
    await expect(store.state('s1', 't1')).rejects.toBeInstanceOf(TrialRecordVersionError);
    await expect(store.state('s1', 't1')).rejects.toThrow(/version 99, this release reads 1/);
  });
});
