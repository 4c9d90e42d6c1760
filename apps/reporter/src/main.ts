#!/usr/bin/env node
import { ArtifactLayout, createRedis, redactRedisUrl, runWorkerApp } from '@repo/contracts';
import { readReporterEnv } from './env.js';
import { createReportServer } from './report-server.js';
import { createReporterWorker } from './reporter-worker.js';

// REPORTER_MODE / --mode: the report worker, the web app, or both in one process (compose).
await runWorkerApp('mtl-reporter', readReporterEnv, async ({ env, logger, connection }) => {
  const layout = new ArtifactLayout(env.ARTIFACTS_DIR);
  const closers: (() => Promise<void>)[] = [];
  if (env.REPORTER_MODE !== 'server') {
    const worker = createReporterWorker({ connection, prefix: env.QUEUE_PREFIX, layout, logger });
    closers.push(() => worker.close());
  }
  if (env.REPORTER_MODE !== 'worker') {
    // Its own connection, failing fast: while Redis is away pages come from disk and the rest is 503.
    const web = createRedis(env.REDIS_URL, { role: 'web' });
    web.on('error', (error) =>
      logger.debug({ redis: redactRedisUrl(env.REDIS_URL), err: error }, 'web app: Redis connection error'),
    );
    const server = await createReportServer({
      connection: web,
      prefix: env.QUEUE_PREFIX,
      layout,
      logger,
      board: env.REPORTER_BOARD === 'on',
      boundHost: env.REPORTER_HOST,
      allowedHosts: env.REPORTER_ALLOWED_HOSTS,
    });
    const address = await server.listen({ host: env.REPORTER_HOST, port: env.REPORTER_PORT });
    logger.info(
      { address },
      `web app at ${address}${env.REPORTER_BOARD === 'on' ? ` (queues at ${address}/queues)` : ''}`,
    );
    closers.push(async () => {
      await server.close();
      web.disconnect();
    });
  }
  return { close: async () => void (await Promise.all(closers.map((close) => close()))) };
});
