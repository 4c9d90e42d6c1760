import type { JobsOptions } from 'bullmq';

/**
 * Retry policy of each job kind. Transient failures (a full disk, a lost connection) retry with
 * exponential backoff; deterministic ones throw UnrecoverableError and fail at once. Finished jobs
 * are kept: a parent reads its children's results, and re-enqueuing finds the ids already taken.
 */
export const JOB_OPTIONS = {
  /** A shard: 3 attempts from 1 s; a shard that cannot be written fails its dataset's manifest job. */
  shard: { attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, failParentOnFailure: true },
  /** The manifest: 3 attempts from 1 s. */
  manifest: { attempts: 3, backoff: { type: 'exponential', delay: 1_000 } },
  /**
   * A trial: 3 attempts from 10 s. A trial that fails for good is moved to its report job's failed
   * dependencies, so the report still runs and lists it.
   */
  trial: { attempts: 3, backoff: { type: 'exponential', delay: 10_000 }, ignoreDependencyOnFailure: true },
  /** The report: 3 attempts from 5 s. */
  report: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
} as const satisfies Record<string, JobsOptions>;
