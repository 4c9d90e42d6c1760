#!/usr/bin/env node
import { runWorkerApp } from '@repo/contracts';
import { readTrainerEnv } from './env.js';
import { createTrainerWorker } from './trainer-worker.js';

await runWorkerApp('mtl-trainer', readTrainerEnv, ({ env, logger, connection }) =>
  createTrainerWorker({
    connection,
    prefix: env.QUEUE_PREFIX,
    logger,
    lockDuration: env.LOCK_DURATION_MS,
    stalledInterval: env.STALLED_INTERVAL_MS,
  }),
);
