import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ArtifactLayout } from '@repo/contracts';
import {
  inlineAssets,
  loadComparison,
  loadReport,
  renderSweepPage,
  SweepNotFoundError,
} from '@repo/report-view';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { checkSweepId } from '../options.js';
import { renderReportTable } from './report-table.js';

const FORMATS = ['table', 'json', 'html'] as const;

interface ReportOptions {
  format: (typeof FORMATS)[number];
  compare?: string[];
  out?: string;
  artifacts: string;
}

const EXAMPLES = `
Examples:
  $ mtl report 3f2a9c1b0d4e                  verdicts per head, leaderboard with 95 % intervals, Pareto front,
                                             parameter importance, the best configuration's confusion matrices
  $ mtl report 3f2a9c1b0d4e --format json    the report summary as JSON (what the web app's /api/sweeps/ID returns)
  $ mtl report 3f2a9c1b0d4e --format html    one self-contained HTML file (charts and data inline, works offline),
                                             written to ARTIFACTS_DIR/sweeps/ID/report.html unless --out says where
  $ mtl report --compare 3f2a9c1b0d4e 7b1e0a  two or more sweeps' configurations in one leaderboard, with verdicts

The report is the one the reporter wrote when the sweep ended (or was re-aggregated): the summary in
ARTIFACTS_DIR/sweeps/ID/report-summary.json, every run in detail in report.json (the complete record)
and report-runs/. For a sweep still running it is built from the run records there so far (marked
"not reported yet").
`;

/** `mtl report SWEEP`: a sweep's aggregated report as a terminal table, JSON or a self-contained HTML page. */
export function reportCommand(): Command {
  return new Command('report')
    .argument('[sweep]', 'sweep id (as `mtl sweep` printed it)')
    .option('--compare <sweeps...>', 'two or more sweep ids: their configurations in one report')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option(
      '--out <file>',
      'write to this file instead of stdout (html: default ARTIFACTS_DIR/sweeps/ID/report.html)',
    )
    .option(
      '--artifacts <dir>',
      'artifact directory (env ARTIFACTS_DIR)',
      process.env.ARTIFACTS_DIR || './artifacts',
    )
    .addHelpText('after', EXAMPLES)
    .action(async (sweep: string | undefined, options: ReportOptions) => {
      const ids = [...(sweep ? [sweep] : []), ...(options.compare ?? [])];
      for (const id of ids) checkSweepId(id);
      if (ids.length === 0) throw new UsageError('name a sweep, or two or more with --compare');
      if (options.compare && ids.length < 2) throw new UsageError('--compare needs two or more sweep ids');
      const layout = new ArtifactLayout(options.artifacts);
      const sweepId = ids[0]!;
      const { summary, runDetails } = options.compare
        ? { summary: await loadAll(() => loadComparison(layout, ids)), runDetails: async () => undefined }
        : await loadAll(() => loadReport(layout, sweepId));
      if (options.format === 'html') {
        const out = resolve(
          options.out ??
            (options.compare ? `compare-${ids.join('-')}.html` : layout.reportFile(sweepId, 'html')),
        );
        // The best page of runs in detail; the rest stay in report-runs/ (a file of every run's curves
        // and matrices would be tens of MB at 1,000 trials).
        const details = (await runDetails(1)) ?? { runs: [], samples: { imageSize: 0, images: [] } };
        await write(out, renderSweepPage(summary, { assets: await inlineAssets(), details }));
        process.stderr.write(`report of ${summary.counts.completed} completed run(s) → ${out}\n`);
        return;
      }
      const text =
        options.format === 'json'
          ? `${JSON.stringify(summary, null, 2)}\n`
          : `${renderReportTable(summary)}\n`;
      if (options.out) await write(resolve(options.out), text);
      else process.stdout.write(text);
    });
}

async function loadAll<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof SweepNotFoundError)
      throw new UsageError(
        `${error.message}: is ARTIFACTS_DIR (or --artifacts) the workers' artifact directory?`,
      );
    throw error;
  }
}

async function write(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
