import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

/** The abort reason a trial's sandbox receives once its worker has lost the trial's job lock. */
export const LEASE_LOST = 'trial lease lost';

/**
 * Stops a trial's training as soon as this worker can no longer be holding its job lock: Redis
 * refused a renewal (the lock is another worker's, or the job is gone), or no renewal has succeeded
 * for a whole lock duration (Redis out of reach, or this process frozen), so the lock has lapsed and
 * another worker may own the trial by now. The sandbox gets the abort with reason LEASE_LOST and stops
 * at its next batch without writing. Returns a function that stops watching.
 */
export function watchLeases(worker: Worker, lockDuration: number, logger: Logger): () => void {
  const renewedAt = new Map<string, number>();
  const lose = (jobId: string, why: string) => {
    renewedAt.delete(jobId);
    // False when the job is no longer processed here (it went back to wait or delayed): nothing to stop.
    if (worker.cancelJob(jobId, LEASE_LOST)) {
      logger.warn({ jobId, why }, 'trial lease lost; stopping its training');
    }
  };
  worker.on('active', (job) => {
    if (job.id) renewedAt.set(job.id, Date.now());
  });
  worker.on('locksRenewed', ({ jobIds }) => {
    for (const jobId of jobIds) if (renewedAt.has(jobId)) renewedAt.set(jobId, Date.now());
  });
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const jobId of jobIds) lose(jobId, 'Redis refused to renew its lock');
  });
  worker.on('completed', (job) => renewedAt.delete(job.id ?? ''));
  worker.on('failed', (job) => renewedAt.delete(job?.id ?? ''));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [jobId, at] of renewedAt) {
      if (now - at > lockDuration)
        lose(jobId, `no lock renewal for ${now - at} ms (lock: ${lockDuration} ms)`);
    }
  }, lockDuration / 4);
  timer.unref();
  return () => clearInterval(timer);
}
