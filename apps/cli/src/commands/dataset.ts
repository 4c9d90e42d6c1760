import { resolve } from 'node:path';
import type { DatasetCheck, DatasetSpec } from '@repo/dataset';
import { Command } from 'commander';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';

interface DatasetOptions extends QueueOptions {
  artifacts: string;
}

const EXAMPLES = `
Examples:
  $ mtl dataset verify 7f3a9c0e12ab34cd
  $ mtl dataset repair 7f3a9c0e12ab34cd
  $ mtl retry quick-1a2b3c4d5e6f --failed

verify checks datasets/<ID>/ under ARTIFACTS_DIR (--artifacts) as a trial reads it: the manifest, then
every shard file's size, sha256, header and labels; exit 1 when anything is damaged. repair writes
every missing or damaged shard again from the dataset's spec (the generator is deterministic: the
same bytes), removes leftover temporaries, and rebuilds a lost manifest (or a folder removed
altogether) from the spec the queue holds for the dataset (--redis, --prefix); then retry the
sweep's failed trials.
`;

/** `mtl dataset verify ID` and `mtl dataset repair ID`: the way back from damaged or missing data. */
export function datasetCommand(): Command {
  const artifacts = (command: Command) =>
    command.option(
      '--artifacts <dir>',
      "the workers' artifact directory (env ARTIFACTS_DIR)",
      process.env.ARTIFACTS_DIR || './artifacts',
    );
  const verify = artifacts(new Command('verify').argument('<id>', 'dataset id'))
    .description('check a dataset on disk: manifest, then every shard against it (exit 1 if damaged)')
    .action(async (id: string, options: DatasetOptions) => {
      const check = await verifyDataset(datasetDir(id, options));
      process.stdout.write(describe(id, check));
      if (damaged(check)) {
        throw new ExitStatus(ExitCode.failure, `dataset ${id} is damaged: mtl dataset repair ${id}`);
      }
    });
  const repair = withQueueOptions(artifacts(new Command('repair').argument('<id>', 'dataset id')))
    .description('write the missing or damaged shards (and a lost manifest) of a dataset again')
    .action(async (id: string, options: DatasetOptions) => {
      const dir = datasetDir(id, options);
      const { repairDataset } = await import('@repo/dataset');
      const before = await verifyDataset(dir);
      const spec = before.spec === undefined ? await queuedSpec(id, options) : undefined;
      const repaired = await repairDataset(dir, spec);
      const what = [
        repaired.rewritten.length > 0
          ? `wrote ${repaired.rewritten.length} shard${repaired.rewritten.length === 1 ? '' : 's'} again (${repaired.rewritten.join(', ')})`
          : 'no shard needed writing',
        ...(repaired.manifestWritten ? ['rebuilt manifest.json'] : []),
        ...(repaired.temporariesRemoved > 0
          ? [`removed ${repaired.temporariesRemoved} leftover temporary file(s)`]
          : []),
      ];
      const after = await verifyDataset(dir);
      process.stdout.write(
        `dataset ${id}: ${what.join('; ')}; verified, ${after.shards} shards whole\n` +
          '  failed trials on it: mtl retry SWEEP --failed\n',
      );
    });
  return new Command('dataset')
    .description('verify or repair a generated dataset under ARTIFACTS_DIR')
    .addCommand(verify)
    .addCommand(repair)
    .addHelpText('after', EXAMPLES);
}

async function verifyDataset(dir: string): Promise<DatasetCheck> {
  const { verifyDataset } = await import('@repo/dataset');
  return verifyDataset(dir);
}

function datasetDir(id: string, options: DatasetOptions): string {
  // Checked before any path is built from it.
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) {
    throw new UsageError(`invalid dataset id ${JSON.stringify(id)}: letters, digits, "-" and "_" only`);
  }
  return resolve(options.artifacts, 'datasets', id);
}

function damaged(check: DatasetCheck): boolean {
  return check.manifestProblem !== undefined || check.problems.length > 0;
}

function describe(id: string, check: DatasetCheck): string {
  const lines = [`dataset ${id} (${check.dir})`];
  if (check.manifestProblem !== undefined) lines.push(`  manifest: ${check.manifestProblem}`);
  else if (check.problems.length === 0) lines.push(`  ${check.shards} shards, all whole`);
  else lines.push(`  ${check.shards} shards, ${check.problems.length} damaged:`);
  for (const problem of check.problems)
    lines.push(`  ${problem.split} shard ${problem.index}: ${problem.reason}`);
  for (const name of check.temporaries) lines.push(`  leftover temporary (not read as a shard): ${name}`);
  return `${lines.join('\n')}\n`;
}

/** The spec the `generate` queue holds for the dataset (its manifest job), for a manifest that is lost. */
async function queuedSpec(id: string, options: DatasetOptions): Promise<DatasetSpec> {
  const { datasetJobId, manifestJobSchema, QUEUES } = await import('@repo/contracts');
  const queues = await openQueues(options);
  try {
    const job = await queues.producer.queue(QUEUES.generate).getJob(datasetJobId(id));
    const parsed = manifestJobSchema.safeParse(job?.data);
    if (!parsed.success) {
      throw new ExitStatus(
        ExitCode.failure,
        `dataset ${id} has no usable manifest, and the queue at ${options.redis} (prefix ${options.prefix}) holds no spec for it: ` +
          'enqueue its sweep again (mtl sweep FILE) to generate it',
      );
    }
    return parsed.data.spec;
  } finally {
    await queues.close();
  }
}
