import { join } from 'node:path';
import {
  type ArtifactLayout,
  JOB_NAMES,
  manifestJobSchema,
  PayloadError,
  parsePayload,
  QUEUES,
  shardJobSchema,
} from '@repo/contracts';
import { finalizeDataset, openDataset, removeStaleTemporaries, writeShard } from '@repo/dataset';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { shardWritten } from './shard-files.js';

export interface GeneratorWorkerDeps {
  /** A worker connection (`maxRetriesPerRequest: null`); stays the caller's. */
  connection: Redis;
  /** BullMQ key prefix, as the producers use. */
  prefix: string;
  layout: ArtifactLayout;
  logger: Logger;
  /** Shards written at once by this process. Default 1 (generation is CPU-bound). */
  concurrency?: number;
}

/** What a generate job returns. */
export interface GenerateResult {
  datasetId: string;
  /** `shard` (one shard) or `manifest` (the finished dataset). */
  wrote: string;
  /** False when the file(s) already existed and were left alone. */
  written: boolean;
}

/**
 * The generator: one `shard` job writes one shard (atomically; a shard already on disk is not
 * rewritten) and the dataset's `manifest` job, which runs once every shard job has completed,
 * writes `manifest.json`.
 */
export function createGeneratorWorker(deps: GeneratorWorkerDeps): Worker {
  const worker = new Worker(QUEUES.generate, (job) => processGenerateJob(job, deps), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 1,
  });
  worker.on('error', (error) => deps.logger.error({ err: error }, 'worker error'));
  worker.on('completed', (job, result: GenerateResult) =>
    deps.logger.info({ jobId: job.id, ...result }, 'done'),
  );
  worker.on('failed', (job, error) =>
    deps.logger.error({ jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed'),
  );
  return worker;
}

async function processGenerateJob(job: Job, deps: GeneratorWorkerDeps): Promise<GenerateResult> {
  const source = `job ${job.id}`;
  try {
    if (job.name === JOB_NAMES.shard) {
      const { datasetId, spec, split, shardIndex } = parsePayload(shardJobSchema, job.data, source);
      const dir = deps.layout.datasetDir(datasetId);
      const wrote = `${split} shard ${shardIndex}`;
      if (await shardWritten(dir, split, shardIndex)) return { datasetId, wrote, written: false };
      await writeShard(spec, dir, split, shardIndex);
      return { datasetId, wrote, written: true };
    }
    if (job.name === JOB_NAMES.manifest) {
      const { datasetId, spec } = parsePayload(manifestJobSchema, job.data, source);
      const dir = deps.layout.datasetDir(datasetId);
      const existing = await openDataset(dir).catch(() => undefined);
      if (existing?.manifest.datasetId === datasetId) return { datasetId, wrote: 'manifest', written: false };
      await finalizeDataset(spec, dir);
      return { datasetId, wrote: 'manifest', written: true };
    }
    throw new UnrecoverableError(`${source}: unknown job name ${job.name}`);
  } catch (error) {
    // A payload that does not parse will not parse on a retry either.
    if (error instanceof PayloadError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

/** A shard temporary untouched this long is a killed generator's (a live write touches it every chunk). */
const STALE_TEMPORARY_MS = 5 * 60_000;

/**
 * At start-up: removes the temporaries of shard writes that a killed generator left behind (its own
 * naming only, `<shard file>.<pid>-<8 hex>.tmp`, untouched for 5 min). Readers never take one for a
 * shard (they open the names the manifest lists); this only frees their space.
 */
export async function removeStaleShardTemporaries(layout: ArtifactLayout, logger: Logger): Promise<void> {
  const removed = await removeStaleTemporaries(join(layout.root, 'datasets'), STALE_TEMPORARY_MS);
  if (removed.length > 0) logger.info({ removed }, 'removed leftover shard temporaries');
}
