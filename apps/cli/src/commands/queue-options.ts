import type { createRedis, PipelineProducer, SweepStatusReader } from '@repo/contracts';
import { type Command, InvalidArgumentError } from 'commander';

/** `--redis` and `--prefix`, shared by every command that talks to the queues. */
export interface QueueOptions {
  redis: string;
  prefix: string;
}

/** Adds `--redis <url>` (env REDIS_URL) and `--prefix <prefix>` (env QUEUE_PREFIX) to a command. */
export function withQueueOptions(command: Command): Command {
  return command
    .option('--redis <url>', 'Redis URL (env REDIS_URL)', process.env.REDIS_URL || 'redis://127.0.0.1:6379')
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

/** Connects (failing after 5 s with a message naming the URL when Redis does not answer). */
export async function openQueues(options: QueueOptions): Promise<Queues> {
  // Loaded here, not at the top: a verb's --help or `mtl sweep --dry-run` never loads BullMQ.
  const { createRedis, PipelineProducer, SweepStatusReader, waitForRedis } = await import('@repo/contracts');
  const redis = createRedis(options.redis);
  redis.on('error', () => {}); // commands reject on their own; waitForRedis names the URL
  const producer = new PipelineProducer(redis, { prefix: options.prefix });
  const reader = new SweepStatusReader(redis, options.prefix);
  const close = async () => {
    await Promise.all([producer.close(), reader.close()]);
    redis.disconnect();
  };
  try {
    await waitForRedis(redis, options.redis, 5_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { redis, producer, reader, close };
}

function prefixOption(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new InvalidArgumentError('letters, digits, "-" and "_" only');
  return value;
}
