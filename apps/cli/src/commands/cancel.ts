import { Command } from 'commander';
import { ExitCode, ExitStatus } from '../errors.js';
import { checkSweepId } from '../options.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';

const EXAMPLES = `
Examples:
  $ mtl cancel quick-1a2b3c4d5e6f

Trials not started yet are removed; running ones stop after their current epoch (their checkpoint
stays); finished trials and their files stay. The report is still written, listing the cancelled
trials. Cancelling twice is harmless; a cancelled sweep cannot be retried.
`;

/** `mtl cancel SWEEP`. */
export function cancelCommand(): Command {
  return withQueueOptions(new Command('cancel').argument('<sweep>', 'sweep id'))
    .addHelpText('after', EXAMPLES)
    .action(async (sweepId: string, options: QueueOptions) => {
      checkSweepId(sweepId);
      const queues = await openQueues(options);
      try {
        const cancelled = await queues.producer.cancelSweep(sweepId);
        if (cancelled === undefined)
          throw new ExitStatus(ExitCode.failure, `no sweep ${sweepId} (mtl ls lists them)`);
        const { removed, stopping, ended } = cancelled;
        process.stdout.write(
          `cancelled ${sweepId}: ${removed.length} removed, ${stopping.length} stopping at their next epoch, ` +
            `${ended.length} already ended (kept)\n`,
        );
      } finally {
        await queues.close();
      }
    });
}
