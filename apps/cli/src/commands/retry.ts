import { type RetriedSweep, SweepCancelledError } from '@repo/contracts';
import { Command } from 'commander';
import { ExitCode, ExitStatus, UsageError } from '../errors.js';
import { checkSweepId } from '../options.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';

interface RetryOptions extends QueueOptions {
  failed?: boolean;
  cancelled?: boolean;
}

const EXAMPLES = `
Examples:
  $ mtl retry quick-1a2b3c4d5e6f --failed
  $ mtl retry quick-1a2b3c4d5e6f --cancelled

--failed: failed trials go back to the queue under the same ids with fresh attempts (a trial with an
epoch checkpoint resumes from it). --cancelled: a cancelled sweep's cancel is lifted and the trials it
ended (removed before they ran, or stopped: they resume from their checkpoint) run again; finished
trials are kept. If the sweep's report was already written, it is written again once the trials
have ended. Exit 1 for an unknown sweep, or --failed on a cancelled one.
`;

/** `mtl retry SWEEP --failed`. */
export function retryCommand(): Command {
  return withQueueOptions(
    new Command('retry')
      .argument('<sweep>', 'sweep id')
      .option('--failed', 'retry the trials that failed for good')
      .option('--cancelled', 'resume a cancelled sweep: run the trials its cancel ended'),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (sweepId: string, options: RetryOptions) => {
      checkSweepId(sweepId);
      if (!options.failed && !options.cancelled)
        throw new UsageError('say which trials to retry: --failed or --cancelled');
      const queues = await openQueues(options);
      try {
        // Resumed first: a sweep's failed trials can only be retried once it is no longer cancelled.
        const resumed = options.cancelled ? await queues.producer.resumeCancelled(sweepId) : undefined;
        const retried = options.failed
          ? await queues.producer.retryFailed(sweepId).catch((error: unknown) => {
              if (error instanceof SweepCancelledError) throw new ExitStatus(ExitCode.failure, error.message);
              throw error;
            })
          : undefined;
        if ((resumed ?? retried) === undefined)
          throw new ExitStatus(ExitCode.failure, `no sweep ${sweepId} (mtl ls lists them)`);
        const lines = [
          ...(resumed ? [describe(sweepId, 'resuming', 'not cancelled', resumed)] : []),
          ...(retried ? [describe(sweepId, 'retrying', 'no failed trials', retried)] : []),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await queues.close();
      }
    });
}

function describe(sweepId: string, verb: string, none: string, done: RetriedSweep): string {
  const count = done.retried.length;
  if (count === 0) return `${sweepId}: ${none}`;
  return (
    `${sweepId}: ${verb} ${count} trial${count === 1 ? '' : 's'} (${done.retried.join(', ')})` +
    `${done.reportReopened ? '; the report will be written again' : ''}`
  );
}
