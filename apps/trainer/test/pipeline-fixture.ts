import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactLayout,
  createRedis,
  PipelineProducer,
  QUEUES,
  type SweepPlanInput,
  type TrialSummary,
} from '@repo/contracts';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { type AppName, startWorker, type WorkerProcess } from './worker-processes.js';

/** A private pipeline for one test: its own queue prefix, artifact directory and worker processes. */
export class PipelineFixture {
  readonly prefix = `test-${randomUUID()}`;
  readonly redis: Redis;
  readonly producer: PipelineProducer;
  readonly workers: WorkerProcess[] = [];
  artifacts = '';

  constructor(readonly redisUrl: string) {
    this.redis = createRedis(redisUrl);
    this.producer = new PipelineProducer(this.redis, { prefix: this.prefix });
  }

  async init(): Promise<this> {
    this.artifacts = await mkdtemp(join(tmpdir(), 'mtl-pipeline-'));
    return this;
  }

  get layout(): ArtifactLayout {
    return new ArtifactLayout(this.artifacts);
  }

  /** Starts a worker process sharing this fixture's Redis, prefix and artifacts. */
  start(app: AppName, env: Record<string, string> = {}): WorkerProcess {
    const worker = startWorker(app, {
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.prefix,
      ARTIFACTS_DIR: this.artifacts,
      DATASET_POLL_MS: '300',
      ...env,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Polls until the job reaches a finished state; returns it. */
  async finished(
    queue: (typeof QUEUES)[keyof typeof QUEUES],
    jobId: string,
    timeoutMs = 240_000,
  ): Promise<Job> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.producer.queue(queue).getJob(jobId);
      const state = await job?.getState();
      if (job && (state === 'completed' || state === 'failed')) return job;
      if (Date.now() > deadline)
        throw new Error(`job ${jobId} still ${state ?? 'absent'} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async trialSummary(jobId: string): Promise<TrialSummary> {
    const job = await this.finished(QUEUES.train, jobId);
    if ((await job.getState()) === 'failed') throw new Error(`trial ${jobId} failed: ${job.failedReason}`);
    return job.returnvalue as TrialSummary;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop(10_000)));
    await this.producer.close();
    await deleteQueuePrefix(this.redis, this.prefix);
    this.redis.disconnect();
    await rm(this.artifacts, { recursive: true, force: true });
  }
}

/** `it` with a `fixture`: a fresh `PipelineFixture` on the test Redis, closed after the test. */
export const pipelineTest = it.extend<{ fixture: PipelineFixture }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  fixture: async ({}, use) => {
    const fixture = await new PipelineFixture(inject('redisUrl')).init();
    await use(fixture);
    await fixture.close();
  },
});

/** A sweep small enough for a test: 96×96 images (the smallest mtl-seed takes), a quarter-width model, 2 epochs. */
export function tinySweep(
  sweepId: string,
  trials: { trialId: string; config?: Record<string, unknown> }[],
): SweepPlanInput {
  return {
    sweepId,
    name: `test ${sweepId}`,
    dataset: { imageSize: 96, samples: 80, test: 32, seed: 5, shardSize: 40 },
    trials: trials.map(({ trialId, config }, i) => ({
      trialId,
      config: { arch: 'mtl-seed', widthMultiplier: 0.25, batchSize: 16, epochs: 2, ...config },
      seed: i + 1,
    })),
  };
}
