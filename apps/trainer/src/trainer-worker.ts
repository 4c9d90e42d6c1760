import { fileURLToPath } from 'node:url';
import { QUEUES, type TrialProgress, type TrialSummary } from '@repo/contracts';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface TrainerWorkerDeps {
  /** A worker connection (`maxRetriesPerRequest: null`); stays the caller's. */
  connection: Redis;
  /** BullMQ key prefix, as the producers use. */
  prefix: string;
  logger: Logger;
  /** The sandboxed processor (run in a child process). Default: `trial-processor.js` beside this file. */
  processorFile?: string;
  /** Job lock, renewed by this process while the child trains. Default 30,000 ms. */
  lockDuration?: number;
  /** Period of the check for trials whose worker died. Default 30,000 ms. */
  stalledInterval?: number;
}

export interface TrainerWorker {
  readonly worker: Worker;
  /**
   * Stops taking trials; a trial in training stops at its next batch boundary, keeps its last epoch
   * checkpoint and goes back to the queue (no attempt used). Idempotent.
   */
  close(): Promise<void>;
}

/**
 * The trainer: one job = one trial, trained in a sandboxed child process (concurrency 1; scale by
 * running more processes) so TF.js never blocks this process's event loop, which renews the job lock:
 * a long trial is never declared stalled while its worker lives.
 */
export function createTrainerWorker(deps: TrainerWorkerDeps): TrainerWorker {
  const processorFile = deps.processorFile ?? fileURLToPath(new URL('./trial-processor.js', import.meta.url));
  const worker = new Worker<unknown, TrialSummary>(QUEUES.train, processorFile, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 1,
    useWorkerThreads: false,
    lockDuration: deps.lockDuration ?? 30_000,
    stalledInterval: deps.stalledInterval ?? 30_000,
    // A machine dying twice under one long trial should not fail it.
    maxStalledCount: 2,
  });
  const { logger } = deps;
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  worker.on('active', (job) =>
    logger.info({ jobId: job.id, attempt: job.attemptsMade + 1 }, 'trial started'),
  );
  worker.on('progress', (job, progress) => {
    const { phase, epoch, epochs, val } = progress as TrialProgress;
    logger.info({ jobId: job.id, phase, epoch, epochs, valLoss: val?.loss }, 'epoch done');
  });
  worker.on('completed', (job, summary) =>
    logger.info(
      { jobId: job.id, test: summary.test, resumedEpochs: summary.resumedEpochs },
      'trial recorded',
    ),
  );
  worker.on('failed', (job, error) =>
    logger.error({ jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'trial failed'),
  );
  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        const closed = worker.close();
        worker.cancelAllJobs('worker shutting down');
        await closed;
      })();
      return closing;
    },
  };
}
