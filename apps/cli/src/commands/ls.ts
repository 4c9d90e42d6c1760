import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SweepSummary } from '@repo/contracts/records';
import type { SweepListEntry } from '@repo/report-view';
import { printable } from '@repo/sweep/printable';
import { Command } from 'commander';
import { intOption } from '../options.js';
import { openStatusQueries, type QueueOptions, withQueueOptions } from './queue-options.js';

interface LsOptions extends QueueOptions {
  json?: boolean;
  limit: number;
  artifacts: string;
}

const EXAMPLES = `
Examples:
  $ mtl ls                    the 20 newest sweeps: state, trials done / failed, best objective
  $ mtl ls --limit 100 --json

Sweeps with files in ARTIFACTS_DIR that Redis does not know (it lost its data, or the sweep was
enqueued on another Redis or prefix) follow, as the web app lists them: their report's state, or
"orphaned" (nothing will run their unfinished trials; mtl sweep FILE enqueues the spec again).
`;

/** A sweep found only on disk, as `mtl ls --json` prints it after the queues' sweeps. */
export interface SweepOnDisk {
  sweepId: string;
  name: string;
  state: string;
  counts: { done: number; failed: number; total?: number };
  best?: { metric: string; split: string; value: number };
  /** Where the sweep was found: only in ARTIFACTS_DIR. */
  source: 'artifacts';
}

/** One table row per sweep, newest first; then the sweeps only found on disk. */
export function renderSweepList(sweeps: SweepSummary[], onDisk: SweepOnDisk[] = []): string {
  if (sweeps.length === 0 && onDisk.length === 0) return 'no sweeps yet (mtl sweep FILE enqueues one)';
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
    ...onDisk.map((sweep) => [
      sweep.sweepId,
      sweep.name,
      sweep.state,
      String(sweep.counts.done),
      String(sweep.counts.failed),
      sweep.counts.total === undefined ? '?' : String(sweep.counts.total),
      sweep.best
        ? `${sweep.best.metric} ${Number(sweep.best.value.toPrecision(4))} (${sweep.best.split} split)`
        : '-',
      '(files only)',
    ]),
  ].map((row) => row.map(printable));
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
      .option('--limit <n>', 'how many sweeps', intOption(1), 20)
      .option(
        '--artifacts <dir>',
        'artifact directory, for sweeps Redis does not know (env ARTIFACTS_DIR)',
        process.env.ARTIFACTS_DIR || './artifacts',
      ),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (options: LsOptions) => {
      const queues = await openStatusQueries(options);
      try {
        const sweeps = await queues.reader.listSweeps({ limit: options.limit });
        const onDisk = (
          await sweepsOnlyOnDisk(options.artifacts, (id) => queues.reader.registry.get(id))
        ).slice(0, Math.max(0, options.limit - sweeps.length));
        process.stdout.write(
          `${options.json ? JSON.stringify([...sweeps, ...onDisk]) : renderSweepList(sweeps, onDisk)}\n`,
        );
      } finally {
        await queues.close();
      }
    });
}

/** The sweeps under `artifacts` the queues do not know, with the state the web app gives them. */
async function sweepsOnlyOnDisk(
  artifacts: string,
  known: (sweepId: string) => Promise<unknown>,
): Promise<SweepOnDisk[]> {
  // Reading reports loads @repo/report-view (about 0.3 s): only when some sweep directory is unknown.
  const names = await readdir(join(artifacts, 'sweeps')).catch(() => [] as string[]);
  const unknownNames = await Promise.all(names.map(async (name) => !(await known(name).catch(() => true))));
  if (!unknownNames.some(Boolean)) return [];
  const [{ ArtifactLayout }, { listSweepsFromArtifacts }] = await Promise.all([
    import('@repo/contracts/records'),
    import('@repo/report-view'),
  ]);
  const entries = await listSweepsFromArtifacts(new ArtifactLayout(artifacts), 'orphaned');
  const unknown = await Promise.all(
    entries.map(async (entry) => ((await known(entry.sweepId)) ? undefined : entry)),
  );
  return unknown
    .filter((entry): entry is SweepListEntry => entry !== undefined)
    .map((entry) => ({
      sweepId: entry.sweepId,
      name: entry.name,
      state: entry.state,
      counts: {
        done: entry.done,
        failed: entry.failed,
        ...(entry.trials !== undefined ? { total: entry.trials } : {}),
      },
      ...(entry.best ? { best: entry.best } : {}),
      source: 'artifacts',
    }));
}
