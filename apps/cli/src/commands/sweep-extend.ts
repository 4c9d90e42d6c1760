import {
  loadSweepSpec,
  MAX_TRIALS,
  planExtension,
  renderTrialTable,
  SweepExtensionError,
  type SweepExtensionRequest,
  type SweepSpec,
  SweepSpecError,
} from '@repo/sweep';
import { Command } from 'commander';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { checkSweepId, intOption } from '../options.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';
import { specJson } from './spec-json.js';

interface ExtendOptions extends QueueOptions {
  seeds?: number;
  trials?: number;
  spec?: string;
  dryRun?: boolean;
}

const EXAMPLES = `
Examples:
  $ mtl sweep extend seed-1a2b3c4d5e6f --seeds 6     every configuration with 6 seeds in all
  $ mtl sweep extend quick-1a2b3c4d5e6f --trials 8   8 configurations in all (random or tpe search)
  $ mtl sweep extend quick-1a2b3c4d5e6f --spec wider.yaml --dry-run

A report that says "no detectable difference at n = 3" is the usual reason: extend the sweep to 6
seeds and its report is written again, with sharper intervals, once the new trials end. Finished
trials are kept and counted; new trials get ids after the sweep's highest. A tpe sweep's new
configurations are suggested at once from every trial that has ended. --spec adds what a changed
parameter space would run (same dataset, objective and scheduler; anything else is refused, exit 2).
A cancelled sweep is refused (exit 4): mtl retry SWEEP --cancelled resumes it first.
`;

/** `mtl sweep extend SWEEP`: more seeds, more configurations, or a changed spec, in the same sweep. */
export function sweepExtendCommand(): Command {
  return withQueueOptions(
    new Command('extend')
      .description('grow a sweep: more seeds, more trials, or a changed parameter space')
      .argument('<sweep>', 'sweep id')
      .option('--seeds <n>', 'run every configuration with this many seeds in all', intOption(1, 100))
      .option(
        '--trials <n>',
        'this many configurations in all (random or tpe search)',
        intOption(1, MAX_TRIALS),
      )
      .option('--spec <file>', 'add what this changed spec (same dataset and objective) would run')
      .option('--dry-run', 'print the trials it would add; enqueue nothing'),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (sweepId: string, _local: ExtendOptions, command: Command) => {
      // `mtl sweep` has --redis and --prefix too, and takes them wherever they are written.
      const options = command.optsWithGlobals<ExtendOptions>();
      checkSweepId(sweepId);
      const request = await requestOf(options);
      const queues = await openQueues(options);
      try {
        const registry = queues.producer.sweeps;
        const info = await registry.get(sweepId);
        if (info === undefined)
          throw new ExitStatus(ExitCode.failure, `no sweep ${sweepId} (mtl ls lists them)`);
        const stored = info.spec ?? info.plan.tpe?.spec;
        if (stored === undefined)
          throw new ExitStatus(
            ExitCode.failure,
            `sweep ${sweepId} has no spec in Redis (it was enqueued by an older mtl): enqueue its spec again under another name`,
          );
        // Validated by `mtl sweep` (or an earlier extension) before it was stored.
        const spec = stored as unknown as SweepSpec;
        const existing = await registry.trials(sweepId, info);
        const tpe = info.plan.tpe?.spec as unknown as SweepSpec | undefined;
        // Loaded already by openQueues; imported here so that `mtl sweep --dry-run` never loads BullMQ.
        const { SweepCancelledError, TrialRecordStore } = await import('@repo/contracts');
        const results =
          spec.search.kind === 'tpe'
            ? await new TrialRecordStore(queues.redis, options.prefix).endedObjectives(sweepId, existing)
            : [];
        const extension = (() => {
          try {
            return planExtension(spec, request, {
              existing,
              results,
              // The trainers add a tpe sweep's own configurations as t<k·repeats + r>: keep clear of them.
              ...(tpe?.search.kind === 'tpe' ? { reserved: tpe.search.trials * tpe.seeds.length } : {}),
            });
          } catch (error) {
            if (error instanceof SweepExtensionError)
              throw new UsageError(`mtl sweep extend ${sweepId}: ${error.message}`);
            throw error;
          }
        })();
        if (options.dryRun) {
          process.stdout.write(`${renderTrialTable(extension.spec, extension.trials)}\n`);
          return;
        }
        const extended = await queues.producer
          .extendSweep(sweepId, extension.trials, specJson(extension.spec))
          .catch((error: unknown) => {
            if (error instanceof SweepCancelledError)
              throw new ExitStatus(ExitCode.sweepCancelled, error.message);
            throw error;
          });
        const added = extended?.added ?? [];
        process.stderr.write(
          `extended ${sweepId}: ${added.length} trial${added.length === 1 ? '' : 's'} added ` +
            `(${added[0]}${added.length > 1 ? `–${added.at(-1)}` : ''})` +
            `${extended?.reportReopened ? '; the report will be written again once they end' : ''}\n`,
        );
        process.stdout.write(`${sweepId}\n`);
      } finally {
        await queues.close();
      }
    });
}

async function requestOf(options: ExtendOptions): Promise<SweepExtensionRequest> {
  const given = [options.seeds, options.trials, options.spec].filter((value) => value !== undefined);
  if (given.length !== 1) throw new UsageError('give one of --seeds N, --trials N or --spec FILE');
  if (options.seeds !== undefined) return { kind: 'seeds', seeds: options.seeds };
  if (options.trials !== undefined) return { kind: 'trials', trials: options.trials };
  const file = options.spec as string;
  try {
    return { kind: 'spec', spec: await loadSweepSpec(file) };
  } catch (error) {
    if (error instanceof SweepSpecError)
      throw new UsageError(error.file ? error.message : `${file}: ${error.message}`);
    throw error;
  }
}
