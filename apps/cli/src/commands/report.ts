import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ArtifactLayout, idSchema } from '@repo/contracts';
import {
  inlineAssets,
  loadSweepView,
  renderSweepPage,
  SweepNotFoundError,
  type SweepView,
} from '@repo/report-view';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { renderReportTable } from './report-table.js';

const FORMATS = ['table', 'json', 'html'] as const;

interface ReportOptions {
  format: (typeof FORMATS)[number];
  out?: string;
  artifacts: string;
}

const EXAMPLES = `
Examples:
  $ mtl report 3f2a9c1b0d4e                  leaderboard, best runs and the best configuration's confusion matrices
  $ mtl report 3f2a9c1b0d4e --format json    the whole report as JSON (what the web app's /api/sweeps/ID returns)
  $ mtl report 3f2a9c1b0d4e --format html    one self-contained HTML file (charts and data inline, works offline),
                                             written to ARTIFACTS_DIR/sweeps/ID/report.html unless --out says where

The report is the one the reporter wrote to ARTIFACTS_DIR/sweeps/ID/report.json when the sweep ended (or
was re-aggregated); for a sweep still running it is built from the run records there so far (marked
"not reported yet").
`;

/** `mtl report SWEEP`: a sweep's aggregated report as a terminal table, JSON or a self-contained HTML page. */
export function reportCommand(): Command {
  return new Command('report')
    .description("print or write a sweep's aggregated report (table, JSON or self-contained HTML)")
    .argument('<sweep>', 'sweep id (as `mtl sweep` printed it)')
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
    .action(async (sweepId: string, options: ReportOptions) => {
      if (!idSchema.safeParse(sweepId).success)
        throw new UsageError(`"${sweepId}" is not a sweep id (letters, digits, "-" and "_" only)`);
      const layout = new ArtifactLayout(options.artifacts);
      const view = await load(layout, sweepId, options.format === 'html');
      if (options.format === 'html') {
        const out = resolve(options.out ?? layout.reportFile(sweepId, 'html'));
        await write(out, renderSweepPage(view, { assets: await inlineAssets() }));
        process.stderr.write(`report of ${view.counts.completed} completed run(s) → ${out}\n`);
        return;
      }
      const text =
        options.format === 'json' ? `${JSON.stringify(view, null, 2)}\n` : `${renderReportTable(view)}\n`;
      if (options.out) await write(resolve(options.out), text);
      else process.stdout.write(text);
    });
}

async function load(layout: ArtifactLayout, sweepId: string, images: boolean): Promise<SweepView> {
  try {
    return await loadSweepView(layout, sweepId, { images });
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
