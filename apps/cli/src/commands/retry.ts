import { SweepCancelledError } from '@repo/contracts';
import { Command } from 'commander';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { checkSweepId } from '../options.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';

interface RetryOptions extends QueueOptions {
  failed?: boolean;
}

const EXAMPLES = `
Examples:
  $ mtl retry quick-1a2b3c4d5e6f --failed

Failed trials go back to the queue under the same ids with fresh attempts (a trial with an epoch
checkpoint resumes from it). If the sweep's report was already written, it is written again once the
retried trials have ended. Exit 1 for an unknown or cancelled sweep.
`;

/** `mtl retry SWEEP --failed`. */
export function retryCommand(): Command {
  return withQueueOptions(
    new Command('retry')
      .argument('<sweep>', 'sweep id')
      .option('--failed', 'retry the trials that failed for good (required: the only kind for now)'),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (sweepId: string, options: RetryOptions) => {
      checkSweepId(sweepId);
      if (!options.failed) throw new UsageError('say which trials to retry: --failed');
      const queues = await openQueues(options);
      try {
        const retried = await queues.producer.retryFailed(sweepId).catch((error: unknown) => {
          if (error instanceof SweepCancelledError) throw new ExitStatus(ExitCode.failure, error.message);
          throw error;
        });
        if (retried === undefined)
          throw new ExitStatus(ExitCode.failure, `no sweep ${sweepId} (mtl ls lists them)`);
        const count = retried.retried.length;
        process.stdout.write(
          count === 0
            ? `${sweepId}: no failed trials\n`
            : `${sweepId}: retrying ${count} trial${count === 1 ? '' : 's'} (${retried.retried.join(', ')})` +
                `${retried.reportReopened ? '; the report will be written again' : ''}\n`,
        );
      } finally {
        await queues.close();
      }
    });
}
