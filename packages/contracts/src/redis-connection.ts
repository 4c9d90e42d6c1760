import { Redis } from 'ioredis';

/** Raised when Redis does not answer in time; names the URL (password hidden). */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_REDIS_UNREACHABLE';
  constructor(
    readonly url: string,
    readonly waitedMs: number,
  ) {
    super(
      `Redis at ${url} did not answer within ${Math.round(waitedMs / 1000)} s: start one ` +
        '(redis-server, or `docker run -p 6379:6379 redis:7`) or set REDIS_URL',
    );
  }
}

/** The URL with any password replaced, for logs and messages. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export interface RedisConnectionOptions {
  /**
   * `worker`: blocking commands wait through outages (BullMQ requires `maxRetriesPerRequest: null`).
   * `producer`: commands fail fast so a CLI never hangs on a dead server. Default `producer`.
   */
  role?: 'worker' | 'producer';
  /** Called on each reconnection attempt with the delay before it, for logging. */
  onRetry?: (attempt: number, delayMs: number) => void;
}

/**
 * An ioredis client for BullMQ; reconnects with capped exponential backoff. Speaks RESP2: ioredis 6
 * defaults to RESP3, while BullMQ's Lua replies are built and tested against RESP2 clients.
 */
export function createRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  const worker = options.role === 'worker';
  return new Redis(url, {
    protocol: 2,
    maxRetriesPerRequest: worker ? null : 1,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => {
      const delay = Math.min(200 * 2 ** (attempt - 1), 5_000);
      options.onRetry?.(attempt, delay);
      return delay;
    },
  });
}

/** Resolves once `client` is ready; rejects with RedisUnreachableError after `timeoutMs`. */
export async function waitForRedis(client: Redis, url: string, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new RedisUnreachableError(redactRedisUrl(url), timeoutMs));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
