#!/usr/bin/env node
import { ArtifactLayout, runWorkerApp } from '@repo/contracts';
import { readReporterEnv } from './env.js';
import { createReporterWorker } from './reporter-worker.js';

await runWorkerApp('mtl-reporter', readReporterEnv, ({ env, logger, connection }) =>
  createReporterWorker({
    connection,
    prefix: env.QUEUE_PREFIX,
    layout: new ArtifactLayout(env.ARTIFACTS_DIR),
    logger,
  }),
);
