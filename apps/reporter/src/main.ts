#!/usr/bin/env node
import { ArtifactLayout, runWorkerApp } from '@repo/contracts';
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
    const server = await createReportServer({ connection, prefix: env.QUEUE_PREFIX, layout, logger });
    const address = await server.listen({ host: env.REPORTER_HOST, port: env.REPORTER_PORT });
    logger.info({ address }, `web app at ${address} (queues at ${address}/queues)`);
    closers.push(() => server.close());
  }
  return { close: async () => void (await Promise.all(closers.map((close) => close()))) };
});
