import type { SweepSummary } from '@repo/contracts';
import { Command } from 'commander';
import { intOption } from '../options.js';
import { openQueues, type QueueOptions, withQueueOptions } from './queue-options.js';

interface LsOptions extends QueueOptions {
  json?: boolean;
  limit: number;
}

const EXAMPLES = `
Examples:
  $ mtl ls                    the 20 newest sweeps: state, trials done / failed, best objective
  $ mtl ls --limit 100 --json
`;

/** One table row per sweep, newest first. */
export function renderSweepList(sweeps: SweepSummary[]): string {
  if (sweeps.length === 0) return 'no sweeps yet (mtl sweep FILE enqueues one)';
  const rows = [
    ['sweep', 'name', 'state', 'done', 'failed', 'trials', 'best (val split)', 'created'],
    ...sweeps.map((sweep) => [
      sweep.sweepId,
      sweep.name,
      sweep.state,
      String(sweep.counts.done),
      String(sweep.counts.failed),
      String(sweep.counts.total),
      sweep.best
        ? `${sweep.objective.metric} ${Number(sweep.best.value.toPrecision(4))} (${sweep.best.trialId})`
        : '-',
      sweep.createdAt.replace('T', ' ').slice(0, 16),
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `mtl ls`: the newest sweeps with their state and best objective. */
export function lsCommand(): Command {
  return withQueueOptions(
    new Command('ls')
      .option('--json', 'print a JSON array of SweepSummary (@repo/contracts)')
      .option('--limit <n>', 'how many sweeps', intOption(1), 20),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (options: LsOptions) => {
      const queues = await openQueues(options);
      try {
        const sweeps = await queues.reader.listSweeps({ limit: options.limit });
        process.stdout.write(`${options.json ? JSON.stringify(sweeps) : renderSweepList(sweeps)}\n`);
      } finally {
        await queues.close();
      }
    });
}
