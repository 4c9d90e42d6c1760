import { createRedis, QUEUES } from '@repo/contracts';
import { Job, Queue } from 'bullmq';
import { TrialLeaseLostError } from './errors.js';
import { LEASE_LOST } from './lease-watchdog.js';

/**
 * The fence between trainers and a trial's shared directory. The BullMQ job lock is the lease: a
 * worker cut off from Redis for longer than the lock lasts loses its trial to another worker, yet its
 * sandbox goes on training offline without knowing. So before each write to the trial directory the
 * sandbox confirms that the lock still holds its token and extends it (`Job.extendLock`, one atomic
 * script). While Redis is out of reach the confirmation waits; once Redis names another owner, or
 * none, the trial stops without writing (TrialLeaseLostError). A reply that took longer than half the
 * lock is not trusted, since the lock it confirmed may have lapsed while the reply travelled: it asks
 * again. Opens its connection on first use.
 */
export class TrialLease {
  private queue?: Queue;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    /** The workers' LOCK_DURATION_MS: how long one confirmation holds the trial. */
    private readonly lockDuration: number,
    /** Told the first connection error of each outage (see `createRedis`). */
    private readonly onRedisError?: (error: Error) => void,
  ) {}

  /**
   * Resolves while job `jobId` is locked by `token` (extending the lock); else TrialLeaseLostError.
   * Also rejects at once, even while Redis is out of reach, once `signal` aborts with LEASE_LOST: the
   * worker process found the lock lapsed (see lease-watchdog).
   */
  async confirm(jobId: string, token: string, signal?: AbortSignal): Promise<void> {
    // The queue forwards its connection's errors; createRedis's listener reports them.
    this.queue ??= new Queue(QUEUES.train, {
      connection: createRedis(this.redisUrl, {
        role: 'worker',
        ...(this.onRedisError ? { onError: this.onRedisError } : {}),
      }),
      prefix: this.prefix,
    }).on('error', () => {});
    const lapsed = leaseLapsed(jobId, signal);
    try {
      for (;;) {
        const asked = Date.now();
        const held = await Promise.race([this.extend(jobId, token), lapsed.promise]);
        if (!held) throw new TrialLeaseLostError(jobId);
        if (Date.now() - asked < this.lockDuration / 2) return;
      }
    } finally {
      lapsed.dispose();
    }
  }

  private async extend(jobId: string, token: string): Promise<boolean> {
    const job = await Job.fromId(this.queue!, jobId);
    return job !== undefined && (await job.extendLock(token, this.lockDuration)) === 1;
  }

  async close(): Promise<void> {
    const connection = this.queue?.opts.connection;
    await this.queue?.close();
    if (connection && 'disconnect' in connection) connection.disconnect();
  }
}

/** Rejects with TrialLeaseLostError once `signal` aborts with LEASE_LOST (at once if it has). */
function leaseLapsed(jobId: string, signal: AbortSignal | undefined) {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => {
      if (signal?.reason === LEASE_LOST) reject(new TrialLeaseLostError(jobId));
    };
  });
  // Never left unhandled: only one of the race's sides matters.
  promise.catch(() => {});
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return { promise, dispose: () => signal?.removeEventListener('abort', onAbort) };
}
