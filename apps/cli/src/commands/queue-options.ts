import type { createRedis, PipelineProducer } from '@repo/contracts';
import type { SweepStatusReader } from '@repo/contracts/records';
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_REDIS_URL, redisUrl } from '../env.js';

/** `--redis` and `--prefix`, shared by every command that talks to the queues. */
export interface QueueOptions {
  /** Given with --redis; else REDIS_URL or the default (see `redisUrl`). */
  redis?: string;
  prefix: string;
}

/** Adds `--redis <url>` (env REDIS_URL) and `--prefix <prefix>` (env QUEUE_PREFIX) to a command. */
export function withQueueOptions(command: Command): Command {
  return command
    .option('--redis <url>', `Redis URL (env REDIS_URL; default ${DEFAULT_REDIS_URL})`)
    .option(
      '--prefix <prefix>',
      'queue key prefix, as the workers use (env QUEUE_PREFIX)',
      prefixOption,
      process.env.QUEUE_PREFIX || 'mtl',
    );
}

/** A ready connection with the producer and the status reader on it; `close()` lets go of all three. */
export interface Queues {
  redis: ReturnType<typeof createRedis>;
  producer: PipelineProducer;
  reader: SweepStatusReader;
  close(): Promise<void>;
}

/**
 * Connects, or fails within 2.5 s with a message naming the URL when Redis does not answer (a URL
 * that is not a Redis URL: a UsageError at once).
 */
export async function openQueues(options: QueueOptions): Promise<Queues> {
  const url = redisUrl(options.redis);
  // Loaded here, not at the top: a verb's --help or `mtl sweep --dry-run` never loads BullMQ.
  const { connectFastFail, PipelineProducer, SweepStatusReader } = await import('@repo/contracts');
  // The queues are built on a ready connection only: closing them then never waits for Redis.
  const redis = await connectFastFail(url);
  const producer = new PipelineProducer(redis, { prefix: options.prefix });
  const reader = new SweepStatusReader(redis, options.prefix);
  const close = async () => {
    await Promise.all([producer.close(), reader.close()]);
    redis.disconnect();
  };
  return { redis, producer, reader, close };
}

/** A ready connection with the status reader only (BullMQ-free until a queue must be asked): ls and status. */
export interface StatusQueries {
  reader: SweepStatusReader;
  close(): Promise<void>;
}

/** Like `openQueues`, for verbs that only read: loads `@repo/contracts/records`, not the producer. */
export async function openStatusQueries(options: QueueOptions): Promise<StatusQueries> {
  const url = redisUrl(options.redis);
  const { connectFastFail, SweepStatusReader } = await import('@repo/contracts/records');
  const redis = await connectFastFail(url);
  const reader = new SweepStatusReader(redis, options.prefix);
  return {
    reader,
    close: async () => {
      await reader.close();
      redis.disconnect();
    },
  };
}

function prefixOption(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new InvalidArgumentError('letters, digits, "-" and "_" only');
  return value;
}
