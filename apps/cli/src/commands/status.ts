import { Command } from 'commander';
import { ExitCode, ExitStatus } from '../errors.js';
import { checkSweepId, intOption } from '../options.js';
import { openStatusQueries, type QueueOptions, withQueueOptions } from './queue-options.js';
import { exitCodeOf, showSweep } from './watch-sweep.js';

interface StatusOptions extends QueueOptions {
  watch?: boolean;
  json?: boolean;
  interval: number;
}

const EXAMPLES = `
Examples:
  $ mtl status                          the newest sweep: every trial's state, epoch and latest val metrics
  $ mtl status quick-1a2b3c4d5e6f --watch   progress bars until the sweep ends (Ctrl-C stops watching)
  $ mtl status --json | jq .counts      machine-readable (a SweepStatus object of @repo/contracts)
  $ mtl status --watch --json           one JSON object per line each time something changes

Trial states: waiting, delayed (waiting for its dataset or a retry), running, completed, stopped (by
the sweep's scheduler), failed, cancelled. Bars on a terminal; plain lines when piped.
With --watch the exit code tells how the sweep ended: 0 completed, 3 failed, 4 cancelled.
`;

/** `mtl status [SWEEP]`: where a sweep and each of its trials stand. */
export function statusCommand(): Command {
  return withQueueOptions(
    new Command('status')
      .argument('[sweep]', 'sweep id (as `mtl sweep` printed it; `mtl ls` lists them)')
      .option('--watch', 'keep showing until the sweep ends')
      .option('--json', 'print JSON (with --watch: one object per line on each change)')
      .option('--interval <ms>', 'with --watch, time between looks', intOption(100), 2_000),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (sweep: string | undefined, options: StatusOptions) => {
      if (sweep !== undefined) checkSweepId(sweep);
      const queues = await openStatusQueries(options);
      try {
        const sweepId = sweep ?? (await queues.reader.latest());
        if (sweepId === undefined)
          throw new ExitStatus(ExitCode.failure, 'no sweeps yet (mtl sweep FILE enqueues one)');
        const status = await showSweep(queues.reader, sweepId, {
          watch: options.watch ?? false,
          json: options.json ?? false,
          intervalMs: options.interval,
          stream: process.stdout,
        });
        const code = options.watch ? exitCodeOf(status) : ExitCode.ok;
        if (code !== ExitCode.ok) throw new ExitStatus(code, `sweep ${sweepId} ${status.state}`);
      } finally {
        await queues.close();
      }
    });
}
