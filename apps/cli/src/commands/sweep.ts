import { createRedis, PipelineProducer, waitForRedis } from '@repo/contracts';
import {
  loadSweepSpec,
  planSweep,
  renderPlan,
  type SweepPlan,
  type SweepSpec,
  SweepSpecError,
} from '@repo/sweep';
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';

interface SweepOptions {
  dryRun?: boolean;
  redis: string;
  prefix: string;
}

const EXAMPLES = `
Examples:
  $ mtl sweep examples/quick.yaml --dry-run   print the trials without enqueuing anything (no Redis needed)
  $ mtl sweep examples/seed.yaml              enqueue the study's protocol; prints the sweep id
  $ REDIS_URL=redis://queue-host:6379 mtl sweep my-sweep.yaml

The spec is validated before anything is enqueued: a bad file exits with code 2 and a message per
problem, naming the file, line and field (e.g. "sweep.yaml:12: parameters.learningRate.min: …").
Enqueuing the same spec twice adds nothing: the sweep id is a content address of the spec.
See packages/sweep/README.md for the sweep YAML reference.
`;

/** `mtl sweep FILE`: validates a YAML sweep spec, then prints its trial table (`--dry-run`) or enqueues it. */
export function sweepCommand(): Command {
  return new Command('sweep')
    .description('validate a YAML sweep spec and enqueue its trials (or print them with --dry-run)')
    .argument('<file>', 'sweep spec (YAML)')
    .option('--dry-run', 'print the sweep and its trial table; enqueue nothing (no Redis needed)')
    .option('--redis <url>', 'Redis URL (env REDIS_URL)', process.env.REDIS_URL || 'redis://127.0.0.1:6379')
    .option(
      '--prefix <prefix>',
      'queue key prefix, as the workers use (env QUEUE_PREFIX)',
      prefixOption,
      process.env.QUEUE_PREFIX || 'mtl',
    )
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, options: SweepOptions) => {
      const { spec, plan } = await readSweep(file);
      if (options.dryRun) {
        process.stdout.write(`${renderPlan(spec, plan)}\n`);
        return;
      }
      await enqueue(spec, plan, options);
    });
}

async function readSweep(file: string): Promise<{ spec: SweepSpec; plan: SweepPlan }> {
  try {
    const spec = await loadSweepSpec(file);
    return { spec, plan: planSweep(spec) };
  } catch (error) {
    if (error instanceof SweepSpecError)
      throw new UsageError(error.file ? error.message : `${file}: ${error.message}`);
    throw error;
  }
}

async function enqueue(spec: SweepSpec, plan: SweepPlan, options: SweepOptions): Promise<void> {
  if (spec.search.kind === 'tpe') {
    // Nothing is enqueued: the start-up trials alone would silently be a small random search.
    throw new Error(
      'search tpe is not enqueued yet: the workers cannot add suggested trials as results arrive. ' +
        'Use --dry-run to see the start-up trials, or search random.',
    );
  }
  if (spec.scheduler.kind !== 'none') {
    process.stderr.write(
      `warning: scheduler ${spec.scheduler.kind} is validated but not applied by the workers yet; ` +
        'each trial runs to its own early stopping\n',
    );
  }
  const redis = createRedis(options.redis);
  const producer = new PipelineProducer(redis, { prefix: options.prefix });
  try {
    await waitForRedis(redis, options.redis, 5_000);
    const enqueued = await producer.enqueueSweep(plan);
    const dataset = enqueued.dataset;
    process.stderr.write(
      `${enqueued.created ? 'enqueued' : 'already enqueued (nothing added)'}: ${spec.name}, ` +
        `${plan.trials.length} trial${plan.trials.length === 1 ? '' : 's'} on dataset ${dataset.datasetId.slice(0, 12)} ` +
        `(${dataset.created ? `${dataset.shards} shards to generate` : 'already generated or enqueued'})\n`,
    );
    process.stdout.write(`${enqueued.sweepId}\n`);
  } finally {
    await producer.close();
    redis.disconnect();
  }
}

function prefixOption(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new InvalidArgumentError('letters, digits, "-" and "_" only');
  return value;
}
