import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { intOption } from '../options.js';
import { signalWorkers, startWorker, type WorkerApp, workerEntry } from '../worker-processes.js';

interface WorkersOptions {
  generators: number;
  trainers: number;
  reporter: boolean;
}

const EXAMPLES = `
Examples:
  $ mtl workers                         1 generator, one trainer per core, 1 reporter
  $ mtl workers --trainers 2 --no-reporter
  $ REDIS_URL=redis://queue-host:6379 ARTIFACTS_DIR=/shared/artifacts mtl workers --generators 0

Each worker is a process (node apps/<app>/dist/main.js: run pnpm build first) with this environment
(REDIS_URL, ARTIFACTS_DIR, QUEUE_PREFIX, LOG_LEVEL, MTL_BACKEND, …); its output lines are prefixed
with its name. Ctrl-C or SIGTERM: every worker finishes or hands back its job (a trial stops at its
next batch and keeps its checkpoint), then mtl exits 0 (1 if a worker failed). A second Ctrl-C makes
the workers exit at once. If mtl itself dies (even by kill -9), the workers shut down cleanly on
their own.
`;

/** `mtl workers`: starts worker processes locally and stops them cleanly on Ctrl-C / SIGTERM. */
export function workersCommand(): Command {
  return new Command('workers')
    .option('--generators <n>', 'generator processes (dataset shards)', intOption(0, 64), 1)
    .option(
      '--trainers <n>',
      'trainer processes (one trial at a time each); default: one per core',
      intOption(0, 256),
    )
    .option('--reporter', 'start a reporter process (default)', true)
    .option('--no-reporter', 'start no reporter')
    .addHelpText('after', EXAMPLES)
    .action(async (options: Partial<WorkersOptions>) => {
      const counts: [WorkerApp, number][] = [
        ['generator', options.generators ?? 1],
        ['trainer', options.trainers ?? availableParallelism()],
        ['reporter', options.reporter === false ? 0 : 1],
      ];
      const plan = counts.flatMap(([app, count]) =>
        Array.from({ length: count }, (_, i) => [app, i + 1] as const),
      );
      if (plan.length === 0) throw new UsageError('no workers to start: every count is 0');
      for (const [app] of counts) if (plan.some(([planned]) => planned === app)) workerEntry(app);
      const width = Math.max(...plan.map(([app, index]) => `${app}-${index}`.length));
      const workers = plan.map(([app, index]) => {
        const name = `${app}-${index}`;
        const prefix = `[${name}]`.padEnd(width + 3);
        return startWorker(app, {
          name,
          env: process.env,
          output: { kind: 'lines', prefix, stdout: process.stdout, stderr: process.stderr },
        });
      });
      process.stderr.write(
        `mtl workers: ${counts.map(([app, count]) => `${count} ${app}${count === 1 ? '' : 's'}`).join(', ')} ` +
          `(pids ${workers.map((w) => w.child.pid).join(' ')}); Ctrl-C stops them\n`,
      );
      let signals = 0;
      const forward = (signal: NodeJS.Signals) => {
        signals++;
        process.stderr.write(
          signals === 1
            ? `mtl workers: ${signal}: stopping workers (they finish or hand back their jobs)\n`
            : `mtl workers: ${signal} again: workers exit at once\n`,
        );
        signalWorkers(workers, signal);
      };
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      try {
        const codes = await Promise.all(
          workers.map(async (worker) => {
            const code = await worker.exited;
            if (signals === 0 || code !== 0)
              process.stderr.write(`mtl workers: ${worker.name} exited ${code}\n`);
            return code;
          }),
        );
        const failed = codes.filter((code) => code !== 0).length;
        if (failed > 0 || signals === 0) {
          throw new ExitStatus(
            ExitCode.failure,
            `${failed} of ${workers.length} workers exited with an error${signals === 0 ? ' before any signal' : ''}`,
          );
        }
        process.stderr.write(`mtl workers: all ${workers.length} stopped cleanly\n`);
      } finally {
        process.off('SIGINT', forward);
        process.off('SIGTERM', forward);
      }
    });
}
