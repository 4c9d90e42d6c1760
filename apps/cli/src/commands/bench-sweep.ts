import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createRedis,
  PipelineProducer,
  QUEUES,
  type SweepPlanInput,
  type TrialSummary,
  trialJobId,
  waitForRedis,
} from '@repo/contracts';
import { datasetSpecSchema } from '@repo/dataset';
import { Command } from 'commander';
import { intOption, numberOption } from '../options.js';
import {
  startWorker,
  stopWorkers,
  type WorkerApp,
  type WorkerProcess,
  workerEntry,
} from '../worker-processes.js';

interface BenchSweepOptions {
  trials: number;
  size: number;
  samples: number;
  test: number;
  epochs: number;
  width: number;
  processes: string;
  redis: string;
  backend: string;
}

interface SweepRun {
  processes: number;
  seconds: number;
  trialsPerHour: number;
  summaries: TrialSummary[];
}

/** `mtl bench sweep`: the same sweep with 1, then 2 trainer processes; trials/hour and the speed-up. */
export function benchSweepCommand(): Command {
  return new Command('sweep')
    .description('run the same small sweep with 1 and with 2 trainer processes (real workers, real Redis)')
    .option('--trials <n>', 'trials in the sweep', intOption(1, 1000), 4)
    .option('--size <px>', 'image side in pixels (mtl-seed takes ≥ 96)', intOption(16, 1024), 96)
    .option('--samples <n>', 'train + validation images', intOption(2), 400)
    .option('--test <n>', 'test images', intOption(1), 100)
    .option('--epochs <n>', 'epochs per trial', intOption(1, 1000), 2)
    .option('--width <x>', 'width multiplier of mtl-seed', numberOption(0.05, 8), 0.5)
    .option('--processes <list>', 'trainer process counts to compare, comma-separated', '1,2')
    .option('--redis <url>', 'Redis URL', process.env.REDIS_URL || 'redis://127.0.0.1:6379')
    .option('--backend <name>', 'MTL_BACKEND of the trainers', process.env.MTL_BACKEND || 'auto')
    .action(async (options: BenchSweepOptions) => {
      const counts = options.processes.split(',').map((part) => intOption(1, 64)(part.trim()));
      workerEntry('generator');
      workerEntry('trainer');
      const artifacts = await mkdtemp(join(tmpdir(), 'mtl-bench-sweep-'));
      const prefix = `mtl-bench-${randomUUID()}`;
      const redis = createRedis(options.redis);
      const producer = new PipelineProducer(redis, { prefix });
      const env = {
        REDIS_URL: options.redis,
        QUEUE_PREFIX: prefix,
        ARTIFACTS_DIR: artifacts,
        LOG_LEVEL: 'info',
      };
      try {
        await waitForRedis(redis, options.redis, 5_000);
        const dataset = datasetSpecSchema.parse({
          imageSize: options.size,
          samples: options.samples,
          test: options.test,
          seed: 1,
        });
        await generate(producer, dataset, env);
        const runs: SweepRun[] = [];
        for (const processes of counts) {
          const run = await runSweep(producer, options, dataset, processes, {
            ...env,
            MTL_BACKEND: options.backend,
          });
          runs.push(run);
          report(run);
        }
        const base = runs.find((run) => run.processes === 1);
        for (const run of runs) {
          if (base && run !== base) {
            process.stdout.write(
              `speed-up with ${run.processes} trainer processes: ${(run.trialsPerHour / base.trialsPerHour).toFixed(2)}×\n`,
            );
          }
        }
      } finally {
        await producer.obliterate();
        await producer.close();
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
        await rm(artifacts, { recursive: true, force: true });
      }
    });
}

async function generate(
  producer: PipelineProducer,
  dataset: SweepPlanInput['dataset'],
  env: Record<string, string>,
): Promise<void> {
  const generator = await startApp('generator', env);
  try {
    const { jobId } = await producer.enqueueDataset(dataset);
    await waitForJobs(producer, QUEUES.generate, [jobId]);
  } finally {
    await stopWorkers([generator]);
  }
}

async function runSweep(
  producer: PipelineProducer,
  options: BenchSweepOptions,
  dataset: SweepPlanInput['dataset'],
  processes: number,
  env: Record<string, string>,
): Promise<SweepRun> {
  const sweepId = `bench-p${processes}`;
  const plan: SweepPlanInput = {
    sweepId,
    dataset,
    trials: Array.from({ length: options.trials }, (_, i) => ({
      trialId: `t${i + 1}`,
      config: {
        arch: 'mtl-seed',
        widthMultiplier: options.width,
        epochs: options.epochs,
        earlyStopping: { patience: options.epochs },
      },
      seed: i + 1,
    })),
  };
  const trainers = await Promise.all(Array.from({ length: processes }, () => startApp('trainer', env)));
  try {
    const started = performance.now();
    const { trialJobIds } = await producer.enqueueSweep(plan);
    await waitForJobs(producer, QUEUES.train, trialJobIds);
    const seconds = (performance.now() - started) / 1000;
    const summaries: TrialSummary[] = [];
    for (const trial of plan.trials) {
      const job = await producer.queue(QUEUES.train).getJob(trialJobId(sweepId, trial.trialId));
      if (job?.returnvalue) summaries.push(job.returnvalue as TrialSummary);
      else throw new Error(`trial ${trial.trialId} failed: ${job?.failedReason}`);
    }
    return { processes, seconds, trialsPerHour: (options.trials / seconds) * 3600, summaries };
  } finally {
    await stopWorkers(trainers);
  }
}

function report(run: SweepRun): void {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const outside = mean(run.summaries.map((s) => s.durationMs - s.trainMs));
  const pipeline =
    (run.seconds * 1000 * run.processes - run.summaries.reduce((a, s) => a + s.durationMs, 0)) /
    run.summaries.length;
  const peak = Math.max(...run.summaries.map((s) => s.peakRssMiB));
  process.stdout.write(
    `${run.processes} trainer process(es): ${run.summaries.length} trials in ${run.seconds.toFixed(1)} s = ` +
      `${Math.round(run.trialsPerHour)} trials/h; per trial: ${Math.round(mean(run.summaries.map((s) => s.trainMs)))} ms ` +
      `training, ${Math.round(outside)} ms loading/evaluating/recording, ${Math.round(pipeline)} ms outside the ` +
      `trial (queue, process start-up); ${(mean(run.summaries.map((s) => s.cpuMs)) / 1000).toFixed(1)} CPU s; ` +
      `peak sandbox RSS ${Math.round(peak)} MiB\n`,
  );
}

async function waitForJobs(producer: PipelineProducer, queue: string, jobIds: string[]): Promise<void> {
  const q = producer.queue(queue as (typeof QUEUES)[keyof typeof QUEUES]);
  for (;;) {
    const states = await Promise.all(jobIds.map(async (id) => (await q.getJob(id))?.getState()));
    if (states.every((state) => state === 'completed' || state === 'failed')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts a worker app (its log lines dropped, its errors shown) and resolves once it is ready. */
async function startApp(app: WorkerApp, env: Record<string, string>): Promise<WorkerProcess> {
  const worker = startWorker(app, {
    name: `mtl-${app}`,
    env: { ...process.env, ...env },
    output: { kind: 'lines', prefix: '', stdout: new PassThrough().resume(), stderr: process.stderr },
  });
  await worker.ready;
  return worker;
}
