#!/usr/bin/env node
import { ArtifactLayout, runWorkerApp } from '@repo/contracts';
import { readGeneratorEnv } from './env.js';
import { createGeneratorWorker, removeStaleShardTemporaries } from './generator-worker.js';

await runWorkerApp('mtl-generator', readGeneratorEnv, async ({ env, logger, connection }) => {
  const layout = new ArtifactLayout(env.ARTIFACTS_DIR);
  await removeStaleShardTemporaries(layout, logger);
  return createGeneratorWorker({ connection, prefix: env.QUEUE_PREFIX, layout, logger });
});
