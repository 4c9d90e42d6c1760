import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { intOption } from '@repo/cli/options';
import { createRedis, PipelineProducer, QUEUES, type SweepPlanInput, waitForRedis } from '@repo/contracts';
import { median } from '@repo/metrics';
import { Worker } from 'bullmq';
import { Command } from 'commander';

type Redis = ReturnType<typeof createRedis>;

interface BenchQueueOptions {
  trials: number;
  drain: number;
  runs: number;
  redis: string;
}

/** `mtl-bench queue`: time to enqueue a large sweep, and the pipeline's own cost per trial. */
export function benchQueueCommand(): Command {
  return new Command('queue')
    .description('measure enqueuing a sweep and the per-trial queue overhead (sandboxed no-op trials)')
    .option('--trials <n>', 'trials in the enqueued sweep', intOption(1, 100_000), 1000)
    .option('--drain <n>', 'trials then processed by one sandboxed no-op worker', intOption(2, 100_000), 200)
    .option('--runs <n>', 'measured runs (medians are reported)', intOption(1, 50), 5)
    .option('--redis <url>', 'Redis URL', process.env.REDIS_URL || 'redis://127.0.0.1:6379')
    .action(async (options: BenchQueueOptions) => {
      const redis = createRedis(options.redis);
      try {
        await waitForRedis(redis, options.redis, 5_000);
        const enqueueMs: number[] = [];
        const perTrialMs: number[] = [];
        for (let run = 1; run <= options.runs; run++) {
          const result = await measureRun(redis, options);
          enqueueMs.push(result.enqueueMs);
          perTrialMs.push(result.perTrialMs);
          process.stderr.write(
            `  run ${run}: enqueue ${Math.round(result.enqueueMs)} ms, ${result.perTrialMs.toFixed(1)} ms/trial\n`,
          );
        }
        process.stdout.write(
          `enqueue ${options.trials} trials: ${Math.round(median(enqueueMs))} ms (median of ${options.runs}; target < 2000)\n` +
            `queue overhead per trial: ${median(perTrialMs).toFixed(1)} ms (median of ${options.runs} runs of ` +
            `${options.drain} sandboxed no-op trials, one worker; target < 50)\n`,
        );
      } finally {
        redis.disconnect();
      }
    });
}

async function measureRun(redis: Redis, options: BenchQueueOptions) {
  const prefix = `mtl-bench-${randomUUID()}`;
  const producer = new PipelineProducer(redis, { prefix });
  const plan: SweepPlanInput = {
    sweepId: 'bench',
    dataset: { samples: 2000, seed: 1 },
    trials: Array.from({ length: options.trials }, (_, i) => ({
      trialId: `t${i}`,
      config: { arch: 'mtl-seed', learningRate: 0.001 * (1 + (i % 10)), batchSize: 16 },
      seed: i,
    })),
  };
  const workerRedis = createRedis(options.redis, { role: 'worker' });
  try {
    const started = performance.now();
    await producer.enqueueSweep(plan);
    const enqueueMs = performance.now() - started;
    const perTrialMs = await drain(workerRedis, prefix, Math.min(options.drain, options.trials));
    return { enqueueMs, perTrialMs };
  } finally {
    await producer.obliterate();
    await producer.close();
    await redis.del(`${prefix}:sweeps`, `${prefix}:sweep:bench`);
    workerRedis.disconnect();
  }
}

/** Mean ms per trial over `count` trials, timed from the first completion (the child's start-up excluded). */
async function drain(connection: Redis, prefix: string, count: number): Promise<number> {
  const processor = fileURLToPath(new URL('./bench-queue-processor.js', import.meta.url));
  const worker = new Worker(QUEUES.train, processor, { connection, prefix, concurrency: 1, autorun: false });
  worker.on('error', (error) => process.stderr.write(`worker error: ${error.message}\n`));
  let completed = 0;
  let firstAt = 0;
  const done = new Promise<number>((resolve) => {
    worker.on('completed', () => {
      completed++;
      if (completed === 1) firstAt = performance.now();
      if (completed === count) resolve((performance.now() - firstAt) / (count - 1));
    });
  });
  void worker.run();
  const perTrial = await done;
  await worker.close();
  return perTrial;
}
