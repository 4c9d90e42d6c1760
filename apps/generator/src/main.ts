#!/usr/bin/env node
import { ArtifactLayout, runWorkerApp } from '@repo/contracts';
import { readGeneratorEnv } from './env.js';
import { createGeneratorWorker } from './generator-worker.js';

await runWorkerApp('mtl-generator', readGeneratorEnv, ({ env, logger, connection }) =>
  createGeneratorWorker({
    connection,
    prefix: env.QUEUE_PREFIX,
    layout: new ArtifactLayout(env.ARTIFACTS_DIR),
    logger,
  }),
);
