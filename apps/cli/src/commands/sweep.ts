import type { SweepPlanInput } from '@repo/contracts';
import {
  configurationCount,
  LARGE_LIMITS,
  loadSweepSpec,
  MAX_SHARDS,
  MAX_TRIALS,
  planSweep,
  renderPlan,
  type SweepPlan,
  type SweepSpec,
  SweepSpecError,
  type SweepSpecOptions,
} from '@repo/sweep';
import { Command } from 'commander';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { intOption } from '../options.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';
import { specJson } from './spec-json.js';
import { sweepExtendCommand } from './sweep-extend.js';
import { exitCodeOf, showSweep } from './watch-sweep.js';

interface SweepOptions extends QueueOptions {
  dryRun?: boolean;
  allowLarge?: boolean;
  restart?: boolean;
  artifacts: string;
  wait?: boolean;
  json?: boolean;
  interval: number;
}

const EXAMPLES = `
Examples:
  $ mtl sweep examples/quick.yaml --dry-run   print the trials without enqueuing anything (no Redis needed)
  $ mtl sweep examples/seed.yaml              enqueue the study's protocol; prints the sweep id
  $ mtl sweep examples/quick.yaml --wait       enqueue, show progress until it ends (needs workers: mtl workers)
  $ REDIS_URL=redis://queue-host:6379 mtl sweep my-sweep.yaml

The spec is validated before anything is enqueued: a bad file exits with code 2 and a message per
problem, naming the file, line and field (e.g. "sweep.yaml:12: parameters.learningRate.min: …"),
including specs no trial could run (an imageSize below an architecture's minimum, an empty split).
A sweep holds at most ${MAX_TRIALS.toLocaleString('en')} trials on ${MAX_SHARDS.toLocaleString('en')} dataset shards; --allow-large lifts that.
Enqueuing the same spec twice adds nothing: the sweep id is a content address of the spec. When
Redis holds that sweep but its files are not under ARTIFACTS_DIR (deleted, or another directory),
mtl sweep says so and exits 1: --restart forgets it in Redis and runs it from scratch. A cancelled
sweep exits 4: --restart runs its unfinished trials again (finished ones are kept).
With --wait the exit code tells how the sweep ended: 0 completed (its report is written, even if
some trials failed: mtl status lists them), 3 failed (every trial failed, or the report did),
4 cancelled; Ctrl-C stops waiting (130) and the sweep goes on.
See packages/sweep/README.md for the sweep YAML reference.
`;

/** `mtl sweep FILE`: validates a YAML sweep spec, then prints its trial table (`--dry-run`) or enqueues it. */
export function sweepCommand(): Command {
  return withQueueOptions(
    new Command('sweep')
      .argument('<file>', 'sweep spec (YAML)')
      .option('--dry-run', 'print the sweep and its trial table; enqueue nothing (no Redis needed)')
      .option(
        '--allow-large',
        `accept up to ${LARGE_LIMITS.trials.toLocaleString('en')} trials and ${LARGE_LIMITS.shards.toLocaleString('en')} dataset shards (default limits ${MAX_TRIALS.toLocaleString('en')} and ${MAX_SHARDS.toLocaleString('en')})`,
      )
      .option(
        '--restart',
        'run the sweep again if it was cancelled (its unfinished trials) or its files are gone (from scratch)',
      )
      .option(
        '--artifacts <dir>',
        'artifact directory the workers write, to find a sweep run before (env ARTIFACTS_DIR)',
        process.env.ARTIFACTS_DIR || './artifacts',
      )
      .option('--wait', 'after enqueuing, show progress until the sweep ends; the exit code tells how')
      .option('--json', 'with --wait, JSON status lines instead of bars or text')
      .option('--interval <ms>', 'with --wait, time between looks', intOption(100), 2_000),
  )
    .addCommand(sweepExtendCommand())
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, options: SweepOptions) => {
      const { spec, plan } = await readSweep(file, { allowLarge: options.allowLarge ?? false });
      if (options.dryRun) {
        process.stdout.write(`${renderPlan(spec, plan)}\n`);
        return;
      }
      await enqueue(spec, plan, file, options);
    });
}

/** What the producer enqueues: the plan, and for TPE the spec (plain JSON) trainers suggest further trials from. */
export function enqueueablePlan(spec: SweepSpec, plan: SweepPlan): SweepPlanInput {
  return spec.search.kind === 'tpe' ? { ...plan, tpe: { spec: specJson(spec) } } : plan;
}

async function readSweep(
  file: string,
  options: SweepSpecOptions,
): Promise<{ spec: SweepSpec; plan: SweepPlan }> {
  try {
    const spec = await loadSweepSpec(file, options);
    return { spec, plan: planSweep(spec) };
  } catch (error) {
    if (error instanceof SweepSpecError)
      throw new UsageError(error.file ? error.message : `${file}: ${error.message}`);
    throw error;
  }
}

async function enqueue(spec: SweepSpec, plan: SweepPlan, file: string, options: SweepOptions): Promise<void> {
  const queues = await openQueues(options);
  try {
    // Loaded here, as openQueues loads the producer: `--dry-run` stays free of BullMQ.
    const { prepareRerun } = await import('./existing-sweep.js');
    const rerun = await prepareRerun(queues, plan.sweepId, options.artifacts, {
      restart: options.restart ?? false,
      how: `mtl sweep ${file} --restart`,
    });
    if (rerun.forgotten)
      process.stderr.write(`restarting ${plan.sweepId} from scratch: ${rerun.forgotten}\n`);
    const enqueued = await queues.producer.enqueueSweep(enqueueablePlan(spec, plan), {
      regenerateDataset: rerun.regenerateDataset,
      spec: specJson(spec),
    });
    const dataset = enqueued.dataset;
    const planned =
      spec.search.kind === 'tpe' ? configurationCount(spec) * spec.seeds.length : plan.trials.length;
    const later = planned - plan.trials.length;
    const resumed = rerun.resumed?.retried.length;
    const what = enqueued.created
      ? 'enqueued'
      : resumed !== undefined
        ? `resumed (its cancel lifted, ${resumed} trial${resumed === 1 ? '' : 's'} to run again)`
        : 'already enqueued (nothing added)';
    process.stderr.write(
      `${what}: ${spec.name}, ` +
        `${plan.trials.length} trial${plan.trials.length === 1 ? '' : 's'}` +
        `${later > 0 ? ` (tpe suggests ${later} more as results arrive)` : ''} on dataset ${dataset.datasetId.slice(0, 12)} ` +
        `(${dataset.created ? `${dataset.shards} shards to generate` : 'already generated or enqueued'})\n`,
    );
    process.stdout.write(`${enqueued.sweepId}\n`);
    if (!options.wait) return;
    // Progress goes to stderr so that stdout keeps only the sweep id (and JSON lines with --json).
    const status = await showSweep(queues.reader, enqueued.sweepId, {
      watch: true,
      json: options.json ?? false,
      intervalMs: options.interval,
      stream: options.json ? process.stdout : process.stderr,
    });
    const code = exitCodeOf(status);
    if (code !== ExitCode.ok) throw new ExitStatus(code, `sweep ${enqueued.sweepId} ${status.state}`);
  } finally {
    await queues.close();
  }
}
