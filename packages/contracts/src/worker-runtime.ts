import type { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { createRedis, RedisUnreachableError, redactRedisUrl, waitForRedis } from './redis-connection.js';
import type { WorkerEnv } from './worker-env.js';

/** A JSON-lines logger for a worker process; every line carries `app`. */
export function createLogger(app: string, level: string): Logger {
  return pino({ name: app, level, base: { app, pid: process.pid } });
}

/** How long each wait for Redis lasts before logging again that it is still unreachable. */
const REPORT_EVERY_MS = 10_000;

/**
 * A worker connection (`maxRetriesPerRequest: null`) that is ready. While Redis does not answer it
 * logs a clear error every 10 s and keeps retrying (a worker started before its Redis waits for it).
 */
export async function connectWorkerRedis(url: string, logger: Logger): Promise<Redis> {
  const safeUrl = redactRedisUrl(url);
  const client = createRedis(url, {
    role: 'worker',
    onRetry: (attempt, delayMs) =>
      logger.debug({ redis: safeUrl, attempt, delayMs }, 'reconnecting to Redis'),
  });
  client.on('error', (error) => logger.debug({ redis: safeUrl, err: error }, 'Redis connection error'));
  for (;;) {
    try {
      await waitForRedis(client, url, REPORT_EVERY_MS);
      logger.info({ redis: safeUrl }, 'connected to Redis');
      return client;
    } catch (error) {
      if (!(error instanceof RedisUnreachableError)) throw error;
      logger.error({ redis: safeUrl }, `${error.message}; still retrying`);
    }
  }
}

/**
 * On the first SIGINT or SIGTERM: log, await `close` (idempotent), exit 0 (1 if closing failed).
 * A second signal exits at once with status 1.
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down: no new jobs; finishing or handing back the current one');
    close().then(
      () => {
        logger.info('closed');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** What a worker app's `start` gets: its parsed environment, a logger and a ready connection. */
export interface WorkerAppContext<E extends WorkerEnv> {
  env: E;
  logger: Logger;
  connection: Redis;
}

/**
 * The whole life of a worker process: read the environment (a bad one: a message naming the
 * variables, exit 2), connect to Redis (waiting while it is unreachable), start the worker (a failure:
 * logged, exit 1), and on SIGINT/SIGTERM (or when the `mtl` process that started it goes away) close
 * it, then the connection.
 */
export async function runWorkerApp<E extends WorkerEnv>(
  app: string,
  readEnv: () => E,
  start: (context: WorkerAppContext<E>) => Promise<{ close(): Promise<void> }> | { close(): Promise<void> },
): Promise<void> {
  let env: E;
  try {
    env = readEnv();
  } catch (error) {
    process.stderr.write(`${app}: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger(app, env.LOG_LEVEL);
  const connection = await connectWorkerRedis(env.REDIS_URL, logger);
  let worker: { close(): Promise<void> };
  try {
    worker = await start({ env, logger, connection });
  } catch (error) {
    logger.fatal({ err: error }, `${app} could not start`);
    process.exit(1);
  }
  logger.info({ artifacts: env.ARTIFACTS_DIR, prefix: env.QUEUE_PREFIX }, `${app} ready`);
  closeOnSignals(async () => {
    await worker.close();
    await connection.quit();
  }, logger);
  closeWithParent(logger);
}

/**
 * A worker that `mtl` started (with an IPC channel) closes as on SIGTERM when `mtl` goes away, even
 * by `kill -9`: no orphan keeps taking jobs nobody watches. Started any other way it does nothing.
 */
function closeWithParent(logger: Logger): void {
  if (typeof process.send !== 'function') return;
  process.once('disconnect', () => {
    logger.warn('the process that started this worker is gone: shutting down');
    process.kill(process.pid, 'SIGTERM');
  });
}
