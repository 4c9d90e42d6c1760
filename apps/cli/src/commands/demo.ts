import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import {
  ArtifactLayout,
  freeLoopbackPort,
  type LocalRedis,
  redactRedisUrl,
  redisAnswers,
  startLocalRedis,
} from '@repo/contracts';
import { loadReport } from '@repo/report-view';
import { loadSweepSpec, planSweep, SweepSpecError } from '@repo/sweep';
import { Command } from 'commander';
import { redisUrl } from '../env.js';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { intOption } from '../options.js';
import { findInRepo } from '../repo-paths.js';
import {
  allReady,
  startWorker,
  stopWorkers,
  type WorkerApp,
  type WorkerProcess,
} from '../worker-processes.js';
import { prepareRerun } from './existing-sweep.js';
import { openQueues } from './queue-options.js';
import { renderReportTable } from './report-table.js';
import { specJson } from './spec-json.js';
import { enqueueablePlan } from './sweep.js';
import { exitCodeOf, showSweep } from './watch-sweep.js';

interface DemoOptions {
  spec?: string;
  trainers?: number;
  port: number;
  serve: boolean;
  artifacts: string;
  prefix: string;
}

const EXAMPLES = `
Examples:
  $ pnpm demo                        install, build, then this command (from a fresh clone)
  $ mtl demo --no-serve              exit after the summary
  $ REDIS_URL=redis://other:6379 mtl demo --trainers 4

Redis: REDIS_URL (default redis://127.0.0.1:6379) when it answers, else a redis-server child on a
free port, stopped on exit. Worker logs go to ARTIFACTS_DIR/demo-workers.log.
`;

/**
 * `mtl demo`: the whole system on this machine: Redis (found or started), a generator, one trainer
 * per core and the reporter with its web app; runs a sweep spec end to end with progress, prints the
 * summary and the report's address, and serves it until Ctrl-C.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .option('--spec <file>', 'sweep spec to run (default: examples/quick.yaml)')
    .option('--trainers <n>', 'trainer processes (default: one per core)', intOption(1, 256))
    .option('--port <port>', 'web app port (taken or 0: a free one)', intOption(0, 65_535), 8080)
    .option('--no-serve', 'exit after the summary instead of serving the report')
    .option(
      '--artifacts <dir>',
      'artifact directory (env ARTIFACTS_DIR)',
      process.env.ARTIFACTS_DIR || './artifacts',
    )
    .option('--prefix <prefix>', 'queue key prefix (env QUEUE_PREFIX)', process.env.QUEUE_PREFIX || 'mtl')
    .addHelpText('after', EXAMPLES)
    .action(async (options: DemoOptions) => {
      const specFile = options.spec ?? findInRepo('examples/quick.yaml', 'pass --spec');
      const spec = await loadSweepSpec(specFile).catch((error: unknown) => {
        throw error instanceof SweepSpecError ? new UsageError(error.message) : error;
      });
      const artifacts = resolve(options.artifacts);
      await mkdir(artifacts, { recursive: true });
      const redis = await demoRedis(redisUrl(undefined));
      const stopping = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => stopping.abort(signal);
      let workers: WorkerProcess[] = [];
      try {
        const port = await freeLoopbackPort(options.port);
        if (options.port !== 0 && port !== options.port)
          say(`port ${options.port} is taken: the web app uses ${port}`);
        const env = {
          ...process.env,
          REDIS_URL: redis.url,
          ARTIFACTS_DIR: artifacts,
          QUEUE_PREFIX: options.prefix,
          REPORTER_MODE: 'both',
          REPORTER_HOST: '127.0.0.1',
          REPORTER_PORT: String(port),
        };
        workers = await startDemoWorkers(env, options.trainers ?? availableParallelism(), artifacts);
        const queues = await openQueues({ redis: redis.url, prefix: options.prefix });
        try {
          const plan = planSweep(spec);
          // A demo run before against this Redis whose files are gone, or cancelled: run it again.
          const rerun = await prepareRerun(queues, plan.sweepId, artifacts, {
            restart: true,
            how: 'mtl demo',
          });
          if (rerun.forgotten)
            say(`a run of it before left no files (${rerun.forgotten}): running it from scratch`);
          if (rerun.resumed)
            say(`it was cancelled: running its ${rerun.resumed.retried.length} unfinished trials`);
          const { sweepId } = await queues.producer.enqueueSweep(enqueueablePlan(spec, plan), {
            regenerateDataset: rerun.regenerateDataset,
            spec: specJson(spec),
          });
          say(`sweep ${sweepId}: ${spec.name}, ${spec.search.kind} search; progress:`);
          const status = await untilWorkerExits(
            workers,
            showSweep(queues.reader, sweepId, {
              watch: true,
              json: false,
              intervalMs: 1_000,
              stream: process.stderr,
            }),
          );
          // A sweep ends when its report job has written its report: the table reads that summary.
          const { summary } = await loadReport(new ArtifactLayout(artifacts), sweepId);
          process.stdout.write(`\n${renderReportTable(summary)}\n\n`);
          const code = exitCodeOf(status);
          if (code !== ExitCode.ok) throw new ExitStatus(code, `sweep ${sweepId} ${status.state}`);
          const url = `http://127.0.0.1:${port}/sweeps/${sweepId}`;
          if (!options.serve) {
            say(`report: mtl report ${sweepId} (or mtl serve, then ${url})`);
            return;
          }
          say(`report: ${url}  (queues: http://127.0.0.1:${port}/queues)  Ctrl-C stops`);
        } finally {
          await queues.close();
        }
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        await untilWorkerExits(
          workers,
          new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true })),
        );
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (workers.length > 0) {
          say('stopping workers…');
          await stopWorkers(workers);
        }
        await redis.stop();
      }
    });
}

function say(line: string): void {
  process.stderr.write(`mtl demo: ${line}\n`);
}

/** REDIS_URL when it answers, else a redis-server child; else a message saying how to get one. */
async function demoRedis(url: string): Promise<Pick<LocalRedis, 'url' | 'stop'>> {
  if (await redisAnswers(url)) {
    say(`Redis at ${redactRedisUrl(url)}`);
    return { url, stop: async () => {} };
  }
  const local = await startLocalRedis();
  if (local) {
    say(`no Redis at ${redactRedisUrl(url)}: started redis-server at ${local.url} (stopped on exit)`);
    return local;
  }
  throw new ExitStatus(
    ExitCode.failure,
    `no Redis: ${redactRedisUrl(url)} does not answer and redis-server is not installed. ` +
      'Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), ' +
      'run one in Docker (docker run -p 6379:6379 redis:7), or set REDIS_URL to a Redis that answers.',
  );
}

/** Starts the generator, the trainers and the reporter (worker + web app), logging to a file. */
async function startDemoWorkers(
  env: NodeJS.ProcessEnv,
  trainers: number,
  artifacts: string,
): Promise<WorkerProcess[]> {
  const logFile = join(artifacts, 'demo-workers.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  const plan: [WorkerApp, string][] = [
    ['generator', 'generator-1'],
    ...Array.from({ length: trainers }, (_, i): [WorkerApp, string] => ['trainer', `trainer-${i + 1}`]),
    ['reporter', 'reporter-1'],
  ];
  const workers = plan.map(([app, name]) =>
    startWorker(app, {
      name,
      env,
      output: { kind: 'lines', prefix: `[${name}] `, stdout: log, stderr: log },
    }),
  );
  await allReady(workers).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; its log: ${logFile}`);
  });
  say(`started ${plan.map(([, name]) => name).join(', ')} (logs: ${logFile})`);
  return workers;
}

/** Resolves with `work`, or rejects as soon as any worker exits before it is done. */
async function untilWorkerExits<T>(workers: readonly WorkerProcess[], work: Promise<T>): Promise<T> {
  const exit = Promise.race(
    workers.map(async (worker) => {
      const code = await worker.exited;
      throw new Error(`${worker.name} exited with code ${code}`);
    }),
  );
  return Promise.race([work, exit]);
}
