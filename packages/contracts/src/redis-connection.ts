import { Redis } from 'ioredis';
import { redactRedisUrl } from './redis-url.js';

export { redactRedisUrl };

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
      `Redis at ${url} did not answer within ${Number((waitedMs / 1000).toFixed(1))} s: start one ` +
        '(redis-server, or `docker run -p 6379:6379 redis:7`) or set REDIS_URL',
    );
  }
}

export interface RedisConnectionOptions {
  /**
   * `worker`: blocking commands wait through outages (BullMQ requires `maxRetriesPerRequest: null`).
   * `producer`: commands fail fast so a CLI never hangs on a dead server. Default `producer`.
   * `web`: a web server's reads: while disconnected a command fails at once (no offline queue), and
   * one Redis does not answer within {@link WEB_COMMAND_TIMEOUT_MS} fails then, so a request answers
   * 503 instead of waiting for the server to come back.
   */
  role?: 'worker' | 'producer' | 'web';
  /** How long one connection attempt may take. Default 5 s. */
  connectTimeoutMs?: number;
  /** Called on each reconnection attempt with the delay before it, for logging. */
  onRetry?: (attempt: number, delayMs: number) => void;
  /**
   * Called with the first connection error of each outage (again once the client was ready since),
   * for logging. The client always has an error listener: a lost connection never surfaces as an
   * unhandled `error` event (ioredis prints those as stacks).
   */
  onError?: (error: Error) => void;
}

/**
 * An ioredis client for BullMQ; reconnects with capped exponential backoff. Speaks RESP2: ioredis 6
 * defaults to RESP3, while BullMQ's Lua replies are built and tested against RESP2 clients.
 */
export function createRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  const role = options.role ?? 'producer';
  const client = new Redis(url, {
    protocol: 2,
    maxRetriesPerRequest: role === 'worker' ? null : role === 'web' ? 0 : 1,
    enableOfflineQueue: role !== 'web',
    ...(role === 'web' ? { commandTimeout: WEB_COMMAND_TIMEOUT_MS } : {}),
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    // disconnect() arms this timer even for a socket already refused, and it holds the event loop:
    // a command-line verb would linger 2 s (ioredis's default) after failing.
    ...(role === 'worker' ? {} : { disconnectTimeout: 100 }),
    retryStrategy: (attempt) => {
      const delay = Math.min(200 * 2 ** (attempt - 1), 5_000);
      options.onRetry?.(attempt, delay);
      return delay;
    },
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    options.onError?.(error);
  });
  client.on('ready', () => {
    reported = false;
  });
  return client;
}

/** How long a web request waits for one Redis reply before answering 503. */
export const WEB_COMMAND_TIMEOUT_MS = 2_000;

/**
 * How long a command-line verb waits for Redis before giving up: under 5 s from start to exit,
 * start-up and clean-up included.
 */
export const CLI_CONNECT_TIMEOUT_MS = 2_500;

/**
 * A `producer` client that is ready within `timeoutMs`; else it is dropped at once (nothing queued
 * on it waits for a reconnection) and RedisUnreachableError names the URL. For command-line verbs:
 * build queues on the client only after this resolves, so closing them never waits for a server
 * that is not there.
 */
export async function connectFastFail(url: string, timeoutMs = CLI_CONNECT_TIMEOUT_MS): Promise<Redis> {
  const client = createRedis(url, { connectTimeoutMs: timeoutMs });
  client.on('error', () => {}); // the caller gets RedisUnreachableError, which names the URL
  try {
    await waitForRedis(client, url, timeoutMs);
    return client;
  } catch (error) {
    client.disconnect();
    throw error;
  }
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
