import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { intOption, numberOption } from '@repo/cli/options';
import {
  allReady,
  startWorker,
  stopWorkers,
  type WorkerApp,
  type WorkerProcess,
  workerEntry,
} from '@repo/cli/worker-processes';
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
import { mean, median } from '@repo/metrics';
import { Command } from 'commander';

interface BenchSweepOptions {
  trials: number;
  rounds: number;
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
  round: number;
  processes: number;
  seconds: number;
  trialsPerHour: number;
  /** Mean wall time of a trial inside its sandbox (loading, training, evaluating, recording). */
  trialMs: number;
  summaries: TrialSummary[];
}

/**
 * `mtl-bench sweep`: the same sweep with 1 and with 2 trainer processes, in rounds; trials/hour and
 * the median speed-up.
 */
export function benchSweepCommand(): Command {
  return new Command('sweep')
    .description('run the same small sweep with 1 and with 2 trainer processes (real workers, real Redis)')
    .option('--trials <n>', 'trials in the sweep', intOption(1, 1000), 8)
    .option('--rounds <n>', 'rounds, each running every process count once', intOption(1, 100), 3)
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
        MTL_BACKEND: options.backend,
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
        for (let round = 1; round <= options.rounds; round++) {
          for (const processes of roundOrder(counts, round)) {
            const run = await runSweep(producer, options, dataset, { round, processes }, env);
            runs.push(run);
            report(run);
          }
        }
        for (const line of speedUpLines(runs)) process.stdout.write(`${line}\n`);
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
  const generator = startApp('generator', env);
  try {
    await allReady([generator]);
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
  { round, processes }: { round: number; processes: number },
  env: Record<string, string>,
): Promise<SweepRun> {
  const sweepId = `bench-r${round}-p${processes}`;
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
  const trainers = Array.from({ length: processes }, () => startApp('trainer', env));
  try {
    await allReady(trainers);
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
    return {
      round,
      processes,
      seconds,
      trialsPerHour: (options.trials / seconds) * 3600,
      trialMs: mean(summaries.map((summary) => summary.durationMs)),
      summaries,
    };
  } finally {
    await stopWorkers(trainers);
  }
}

function report(run: SweepRun): void {
  const outside = mean(run.summaries.map((s) => s.durationMs - s.trainMs));
  const pipeline =
    (run.seconds * 1000 * run.processes - run.summaries.reduce((a, s) => a + s.durationMs, 0)) /
    run.summaries.length;
  const peak = Math.max(...run.summaries.map((s) => s.peakRssMiB));
  process.stdout.write(
    `round ${run.round}, ${run.processes} trainer process(es): ${run.summaries.length} trials in ${run.seconds.toFixed(1)} s = ` +
      `${Math.round(run.trialsPerHour)} trials/h; per trial: ${Math.round(mean(run.summaries.map((s) => s.trainMs)))} ms ` +
      `training, ${Math.round(outside)} ms loading/evaluating/recording, ${Math.round(pipeline)} ms outside the ` +
      `trial (queue; a core idle at the end); ${(mean(run.summaries.map((s) => s.cpuMs)) / 1000).toFixed(1)} CPU s; ` +
      `peak sandbox RSS ${Math.round(peak)} MiB\n`,
  );
}

/**
 * The process counts in the order round `round` runs them: reversed every other round, so a drift in
 * the machine's speed (other tenants, thermal) does not always favour the same count.
 */
export function roundOrder(counts: readonly number[], round: number): number[] {
  return round % 2 === 1 ? [...counts] : [...counts].reverse();
}

/**
 * Each round's speed-up of every process count over one process, and the median per count: a ratio
 * of runs made minutes apart, which the machine's noise moves less than either run alone. Beside it,
 * how much longer a trial took than alone (cores that slow each other down) and the speed-up that
 * leaves with no pipeline overhead at all, so the queue's share of any gap shows.
 */
export function speedUpLines(
  runs: readonly Pick<SweepRun, 'round' | 'processes' | 'trialsPerHour' | 'trialMs'>[],
): string[] {
  const byCount = new Map<number, { speedUp: number; slowdown: number; ceiling: number }[]>();
  for (const run of runs) {
    const base = runs.find((other) => other.round === run.round && other.processes === 1);
    if (!base || run === base) continue;
    const slowdown = run.trialMs / base.trialMs;
    byCount.set(run.processes, [
      ...(byCount.get(run.processes) ?? []),
      { speedUp: run.trialsPerHour / base.trialsPerHour, slowdown, ceiling: run.processes / slowdown },
    ]);
  }
  const list = (values: number[], unit: string) =>
    values.map((value) => `${value.toFixed(2)}${unit}`).join(', ');
  return [...byCount].flatMap(([processes, rounds]) => {
    const speedUps = rounds.map((round) => round.speedUp);
    return [
      `speed-up with ${processes} trainer processes: median ${median(speedUps).toFixed(2)}× over ` +
        `${rounds.length} round(s) (${list(speedUps, '×')})`,
      `  a trial took ${list(
        rounds.map((round) => round.slowdown),
        '×',
      )} as long as with 1 process, which ` +
        `leaves at most ${list(
          rounds.map((round) => round.ceiling),
          '×',
        )}; the pipeline kept ` +
        `${rounds.map((round) => `${Math.round((100 * round.speedUp) / round.ceiling)} %`).join(', ')} of it`,
    ];
  });
}

async function waitForJobs(producer: PipelineProducer, queue: string, jobIds: string[]): Promise<void> {
  const q = producer.queue(queue as (typeof QUEUES)[keyof typeof QUEUES]);
  for (;;) {
    const states = await Promise.all(jobIds.map(async (id) => (await q.getJob(id))?.getState()));
    if (states.every((state) => state === 'completed' || state === 'failed')) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts a worker app, its log lines dropped and its errors shown. */
function startApp(app: WorkerApp, env: Record<string, string>): WorkerProcess {
  return startWorker(app, {
    name: `mtl-${app}`,
    env: { ...process.env, ...env },
    output: { kind: 'lines', prefix: '', stdout: new PassThrough().resume(), stderr: process.stderr },
  });
}
