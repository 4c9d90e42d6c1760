import { createRedis, PipelineProducer } from '@repo/contracts';
import type { Redis } from 'ioredis';

/**
 * Leaves no trace of a test's key prefix: obliterates every pipeline queue under it, running jobs
 * included, then deletes the other `${prefix}:*` keys (sweep registry, progress, curves).
 * Given a URL, it opens and closes its own connection; a given connection stays open.
 */
export async function deleteQueuePrefix(redis: Redis | string, prefix: string): Promise<void> {
  const connection = typeof redis === 'string' ? createRedis(redis) : redis;
  const producer = new PipelineProducer(connection, { prefix });
  try {
    await producer.obliterate();
    const keys = await connection.keys(`${prefix}:*`);
    if (keys.length > 0) await connection.del(...keys);
  } finally {
    await producer.close();
    if (connection !== redis) connection.disconnect();
  }
}
