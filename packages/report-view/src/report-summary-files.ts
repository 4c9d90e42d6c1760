import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactLayout } from '@repo/contracts/records';
import { writeFileWhole } from '@repo/dataset';
import {
  REPORT_SUMMARY_FORMAT,
  REPORT_SUMMARY_VERSION,
  type ReportSummary,
  type RunDetails,
} from './report-summary.js';
import type { RunView } from './report-view.js';
import type { SweepView } from './sweep-view.js';

/** `sweeps/<id>/report-summary.json`: the compact summary pages and `mtl report` read. */
export const REPORT_SUMMARY_FILE = 'report-summary.json';
/** `sweeps/<id>/report-runs/`: `<page>.json` (runs in detail, 1-based) and `samples.json`. */
export const REPORT_RUNS_DIR = 'report-runs';

/**
 * Writes a sweep's report view: the summary, its runs in detail a page a file, and the sample images;
 * each file atomically, the summary last (so a reader that finds it finds its pages).
 */
export async function writeReportSummary(
  layout: ArtifactLayout,
  view: { summary: ReportSummary; runPages: readonly RunView[][]; samples: SweepView['samples'] },
): Promise<string> {
  const dir = layout.sweepDir(view.summary.sweepId);
  const runsDir = join(dir, REPORT_RUNS_DIR);
  await rm(runsDir, { recursive: true, force: true });
  await mkdir(runsDir, { recursive: true });
  await Promise.all(
    view.runPages.map((runs, i) => writeFileWhole(join(runsDir, `${i + 1}.json`), JSON.stringify(runs))),
  );
  await writeFileWhole(join(runsDir, 'samples.json'), JSON.stringify(view.samples));
  const file = join(dir, REPORT_SUMMARY_FILE);
  await writeFileWhole(file, JSON.stringify(view.summary));
  return file;
}

/** The written summary of a sweep, or undefined when there is none (or it is of another format). */
export async function readReportSummary(
  layout: ArtifactLayout,
  sweepId: string,
): Promise<ReportSummary | undefined> {
  const json = await readJsonFile(join(layout.sweepDir(sweepId), REPORT_SUMMARY_FILE));
  const summary = json as Partial<ReportSummary> | undefined;
  return summary?.format === REPORT_SUMMARY_FORMAT && summary.version === REPORT_SUMMARY_VERSION
    ? (summary as ReportSummary)
    : undefined;
}

/** One written page of runs in detail (1-based) with the sample images; undefined when missing. */
export async function readRunDetails(
  layout: ArtifactLayout,
  sweepId: string,
  page: number,
): Promise<RunDetails | undefined> {
  if (!Number.isInteger(page) || page < 1) return undefined;
  const runsDir = join(layout.sweepDir(sweepId), REPORT_RUNS_DIR);
  const runs = (await readJsonFile(join(runsDir, `${page}.json`))) as RunView[] | undefined;
  if (!Array.isArray(runs)) return undefined;
  const samples = ((await readJsonFile(join(runsDir, 'samples.json'))) as
    | SweepView['samples']
    | undefined) ?? {
    imageSize: 0,
    images: [],
  };
  return { runs, samples };
}

async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Changes whenever what a report page shows could: the written summary's modification time, or,
 * before one is written, each trial's run.json (present, and when last written). Cheap: no file is read.
 */
export async function reportFingerprint(layout: ArtifactLayout, sweepId: string): Promise<string> {
  const dir = layout.sweepDir(sweepId);
  const written = await stat(join(dir, REPORT_SUMMARY_FILE)).catch(() => undefined);
  if (written) return `summary:${written.mtimeMs}`;
  const trials = await readdir(join(dir, 'trials')).catch(() => [] as string[]);
  const times = await Promise.all(
    trials.map((trial) =>
      stat(join(dir, 'trials', trial, 'run.json')).then(
        (file) => file.mtimeMs,
        () => 0,
      ),
    ),
  );
  const report = await stat(layout.reportFile(sweepId, 'json')).catch(() => undefined);
  return `runs:${trials.length}:${times.filter((t) => t > 0).length}:${times.reduce((a, b) => a + b, 0)}:${report?.mtimeMs ?? 0}`;
}
