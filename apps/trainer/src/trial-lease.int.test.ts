import { randomUUID } from 'node:crypto';
import { createRedis, QUEUES } from '@repo/contracts';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { TrialLeaseLostError } from './errors.js';
import { LEASE_LOST } from './lease-watchdog.js';
import { TrialLease } from './trial-lease.js';

const SHORT_LOCK_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TrialLease', () => {
  const prefix = `test-${randomUUID()}`;
  let redis: Redis;
  let queue: Queue;
  let worker: Worker;
  let lease: TrialLease;

  /** A trial job taken by a manual worker whose lock lasts SHORT_LOCK_MS unless extended. */
  async function lockedTrial(token: string): Promise<Job> {
    await queue.add('trial', {}, { jobId: `trial-${randomUUID()}` });
    const job = await worker.getNextJob(token);
    if (!job?.id) throw new Error('no job to take');
    return job;
  }

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'), { role: 'worker' });
    queue = new Queue(QUEUES.train, { connection: redis, prefix });
    worker = new Worker(QUEUES.train, null, {
      connection: redis,
      prefix,
      lockDuration: SHORT_LOCK_MS,
      autorun: false,
    });
    lease = new TrialLease(inject('redisUrl'), prefix, 5_000);
  });

  afterEach(async () => {
    await lease.close();
    await worker.close();
    await queue.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
  });

  it("confirms the holder's token and extends its lock to the lease's duration", async () => {
    const job = await lockedTrial('token-a');
    await lease.confirm(job.id!, 'token-a');
    await sleep(SHORT_LOCK_MS * 1.5);
    // Without the extension the 1 s lock would have lapsed by now.
    await expect(lease.confirm(job.id!, 'token-a')).resolves.toBeUndefined();
  });

  it('gives the trial up at once when its worker found the lock lapsed, even with Redis out of reach', async () => {
    const unreachable = new TrialLease('redis://127.0.0.1:1', prefix, 5_000);
    const abort = new AbortController();
    setTimeout(() => abort.abort(LEASE_LOST), 300);
    try {
      await expect(unreachable.confirm('trial-x', 'token-a', abort.signal)).rejects.toThrow(
        TrialLeaseLostError,
      );
      // Shutting down is not losing the lease: that abort leaves the confirmation waiting for Redis.
      const shutdown = new AbortController();
      shutdown.abort('worker shutting down');
      const waiting = unreachable.confirm('trial-x', 'token-a', shutdown.signal);
      expect(
        await Promise.race([
          waiting.then(
            () => 'settled',
            () => 'settled',
          ),
          sleep(500),
        ]),
      ).toBeUndefined();
    } finally {
      await unreachable.close();
    }
  });

  it('refuses another token, a lapsed lock and an unknown job', async () => {
    const job = await lockedTrial('token-a');
    await expect(lease.confirm(job.id!, 'token-b')).rejects.toThrow(TrialLeaseLostError);
    await sleep(SHORT_LOCK_MS * 1.5);
    await expect(lease.confirm(job.id!, 'token-a')).rejects.toThrow(TrialLeaseLostError);
    await expect(lease.confirm('no-such-job', 'token-a')).rejects.toThrow(/no-such-job/);
  });
});
