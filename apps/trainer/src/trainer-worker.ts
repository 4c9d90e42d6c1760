import { fileURLToPath } from 'node:url';
import { QUEUES, type TrialProgress, type TrialSummary } from '@repo/contracts';
import { type ChildPool, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { replaceBusyChildren } from './busy-sandbox.js';
import { watchLeases } from './lease-watchdog.js';
import { logUnrecordedFailures } from './unrecorded-failures.js';

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
 * a long trial is never declared stalled while its worker lives. Resolves once the child is forked
 * and its TF.js backend is up, and only then takes trials.
 */
export async function createTrainerWorker(deps: TrainerWorkerDeps): Promise<TrainerWorker> {
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
    autorun: false,
  });
  const { logger } = deps;
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
  // A trial waiting for its dataset is taken again every DATASET_POLL_MS: its start is told once an attempt.
  const started = new Map<string, number>();
  worker.on('active', (job) => {
    const attempt = job.attemptsMade + 1;
    // Keyed by when the job was added too: a trial enqueued again (after Redis lost it) starts anew.
    const key = `${job.id}@${job.timestamp}`;
    if (started.get(key) === attempt) return;
    started.set(key, attempt);
    logger.info({ jobId: job.id, attempt }, 'trial started');
  });
  worker.on('progress', (job, progress) => {
    const { phase, epoch, epochs, val } = progress as TrialProgress;
    logger.info({ jobId: job.id, phase, epoch, epochs, valLoss: val?.loss }, 'epoch done');
  });
  worker.on('completed', (job) => started.delete(`${job.id}@${job.timestamp}`));
  worker.on('failed', (job) => started.delete(`${job?.id}@${job?.timestamp}`));
  worker.on('completed', (job, summary) =>
    logger.info(
      { jobId: job.id, test: summary.test, resumedEpochs: summary.resumedEpochs },
      'trial recorded',
    ),
  );
  worker.on('failed', (job, error) =>
    logger.error({ jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'trial failed'),
  );
  logUnrecordedFailures(worker, { connection: deps.connection, logger });
  const stopWatching = watchLeases(worker, deps.lockDuration ?? 30_000, logger);
  await warmUpSandbox(worker, processorFile);
  replaceBusyChildren(worker['childPool'], logger);
  worker.run().catch((error: unknown) => logger.error({ err: error }, 'worker stopped'));
  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        const closed = worker.close();
        worker.cancelAllJobs('worker shutting down');
        await closed;
        stopWatching();
      })();
      return closing;
    },
  };
}

/**
 * Forks the sandboxed child now and returns it to the pool the first trial takes it from. BullMQ
 * forks lazily, on the first job, so without this the first trial of every worker would also pay
 * for Node and TF.js start-up, and a worker would report ready before it could train.
 */
async function warmUpSandbox(worker: Worker, processorFile: string): Promise<void> {
  // BullMQ has no public API to fork a sandbox before its first job; its child pool is private (the
  // bracket access is TypeScript's sanctioned way in). test/worker-start.int.test.ts ("reports ready
  // only once its sandbox is forked") fails if a BullMQ upgrade changes it.
  const pool: ChildPool = worker['childPool'];
  pool.release(await pool.retain(processorFile));
}
