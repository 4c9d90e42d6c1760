import { createRedis, datasetJobId, QUEUES } from '@repo/contracts';
import { Queue } from 'bullmq';

/**
 * Asks the `generate` queue how a dataset's generation went, so that a trial waiting for a dataset
 * whose generation failed for good fails too, with the generator's reason, instead of waiting on.
 * Opens its connection on first use (only trials that wait need it).
 */
export class DatasetGeneration {
  private queue?: Queue;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    /** Told the first connection error of each outage (see `createRedis`). */
    private readonly onRedisError?: (error: Error) => void,
  ) {}

  /** The reason the dataset's manifest job failed, or undefined while it is pending or done. */
  async failure(datasetId: string): Promise<string | undefined> {
    const outcome = await this.outcome(datasetId);
    return outcome === 'completed' ? undefined : outcome;
  }

  /**
   * `completed` once the dataset's manifest job has written it, the failure's reason if it failed for
   * good, undefined while pending (or unknown to this queue).
   */
  async outcome(datasetId: string): Promise<string | 'completed' | undefined> {
    if (!this.queue) {
      this.queue = new Queue(QUEUES.generate, {
        connection: createRedis(this.redisUrl, {
          ...(this.onRedisError ? { onError: this.onRedisError } : {}),
        }),
        prefix: this.prefix,
      });
      this.queue.on('error', () => {}); // a failed look-up only means waiting a little longer
    }
    const job = await this.queue.getJob(datasetJobId(datasetId));
    const state = await job?.getState();
    if (state === 'completed') return 'completed';
    if (job === undefined || state !== 'failed') return undefined;
    return job.failedReason || 'unknown reason';
  }
}
