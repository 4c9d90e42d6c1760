import type { ArtifactLayout } from '@repo/contracts/records';
import { type LoadSweepOptions, loadSampleImages, loadSweepView } from './load-sweep-view.js';
import { type ReportSummary, type RunDetails, summariseReportView } from './report-summary.js';
import { readReportSummary, readRunDetails } from './report-summary-files.js';

/** A sweep's report as pages read it: the summary first, runs in detail a page at a time. */
export interface LoadedReport {
  summary: ReportSummary;
  /** Page `page` (1-based) of the runs in detail; undefined past the last. */
  runDetails(page: number): Promise<RunDetails | undefined>;
}

/**
 * The report of a sweep: the summary the reporter wrote (report-summary.json, read as it is; its runs
 * in detail read from report-runs/ when asked for), else, for a sweep not reported yet, summarised now
 * from its report view (report.json, or the run records so far). `state` overrides the stored one.
 */
export async function loadReport(
  layout: ArtifactLayout,
  sweepId: string,
  options: LoadSweepOptions = {},
): Promise<LoadedReport> {
  const stored = await readReportSummary(layout, sweepId);
  if (stored) {
    const summary = options.state !== undefined ? { ...stored, state: options.state } : stored;
    if (options.trials !== undefined && options.trials > summary.counts.trials)
      summary.counts = { ...summary.counts, trials: options.trials };
    return { summary, runDetails: (page) => readRunDetails(layout, sweepId, page) };
  }
  const view = await loadSweepView(layout, sweepId, { ...options, images: false });
  const { summary, runPages } = summariseReportView(view, {
    state: view.state,
    provisional: view.provisional,
  });
  let samples: RunDetails['samples'] | undefined;
  return {
    summary,
    runDetails: async (page) => {
      const runs = runPages[page - 1];
      if (runs === undefined) return undefined;
      samples ??= await loadSampleImages(layout, view);
      return { runs, samples };
    },
  };
}
