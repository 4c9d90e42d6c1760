import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** How a BullMQ processor asks for a job to be put back (not failures); BullMQ matches them by name. */
const NOT_FAILURES = new Set(['DelayedError', 'WaitingError', 'WaitingChildrenError', 'RateLimitError']);
const RATE_LIMIT_ERROR = 'bullmq:rateLimitExceeded';

export interface UnrecordedFailureOptions {
  /** The worker's connection: while it is not `ready`, a failure is logged at once. */
  connection: Redis;
  logger: Logger;
  /** A failure Redis has not recorded after this long is logged. Default 1,000 ms. */
  afterMs?: number;
}

/**
 * Logs a trial's failure reason (with its job id) when Redis does not record it promptly. BullMQ
 * emits `failed`, on which the trainer logs `trial failed`, only once Redis has recorded the failure;
 * while Redis is down that waits on the connection's queue, and when it comes back without the job
 * (emptied, or the lock lapsed) the record is refused and the reason was never told anywhere. So a
 * failure is logged `trial failed; Redis has not recorded it` at once when the connection is down,
 * else after `afterMs` without an answer, and again as usual (`trial failed`) if Redis records it.
 */
export function logUnrecordedFailures(worker: Worker, options: UnrecordedFailureOptions): void {
  const afterMs = options.afterMs ?? 1_000;
  // BullMQ has no hook between a processor's rejection and the record of the failure: handleFailed is
  // protected (the bracket access is TypeScript's sanctioned way in). apps/trainer/test/
  // outage-failure.int.test.ts fails if a BullMQ upgrade changes it.
  const handleFailed: Worker['handleFailed'] = worker['handleFailed'].bind(worker);
  worker['handleFailed'] = async (error, job, ...rest) => {
    if (NOT_FAILURES.has(error.name) || error.message === RATE_LIMIT_ERROR)
      return handleFailed(error, job, ...rest);
    let told = false;
    const tell = () => {
      if (told) return;
      told = true;
      options.logger.error(
        { jobId: job.id, attempt: job.attemptsMade + 1, err: error, redis: options.connection.status },
        'trial failed; Redis has not recorded it',
      );
    };
    if (options.connection.status !== 'ready') tell();
    const timer = setTimeout(tell, afterMs);
    try {
      return await handleFailed(error, job, ...rest);
    } finally {
      clearTimeout(timer);
    }
  };
}
