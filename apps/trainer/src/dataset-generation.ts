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
  ) {}

  /** The reason the dataset's manifest job failed, or undefined while it is pending or done. */
  async failure(datasetId: string): Promise<string | undefined> {
    if (!this.queue) {
      this.queue = new Queue(QUEUES.generate, {
        connection: createRedis(this.redisUrl),
        prefix: this.prefix,
      });
      this.queue.on('error', () => {}); // a failed look-up only means waiting a little longer
    }
    const job = await this.queue.getJob(datasetJobId(datasetId));
    if (job === undefined || (await job.getState()) !== 'failed') return undefined;
    return job.failedReason || 'unknown reason';
  }
}
