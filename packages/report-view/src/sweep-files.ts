import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { type ArtifactLayout, idSchema } from '@repo/contracts/records';
import { writeFileWhole } from '@repo/dataset';
import { z } from 'zod';
import type { RunSource } from './build-report-view.js';
import { type ReportView, reportViewSchema } from './report-view.js';

/**
 * The fields every version of report.json has (version 1 held only these and the aggregate): enough
 * for a sweep list, and the hints a provisional view takes from an old report.
 */
const reportFileSchema = z.object({
  sweepId: z.string(),
  name: z.string(),
  datasetId: z.string(),
  generatedAt: z.string(),
  counts: z.object({ trials: z.int(), completed: z.int(), failed: z.int(), pending: z.int() }),
  failed: z.array(z.object({ trialId: z.string(), reason: z.string() })),
  pending: z.array(z.string()),
  aggregate: z.object({
    objective: z.object({ metric: z.string(), direction: z.enum(['minimize', 'maximize']) }),
    best: z.array(z.object({ objective: z.object({ metric: z.string() }), value: z.number() })),
  }),
});

export type ReportFile = z.output<typeof reportFileSchema>;

/** report.json of a sweep (any version) as a list needs it, or undefined when it is missing or not a report. */
export async function readReportFile(
  layout: ArtifactLayout,
  sweepId: string,
): Promise<ReportFile | undefined> {
  const parsed = reportFileSchema.safeParse(await readJson(layout.reportFile(sweepId, 'json')));
  return parsed.success ? parsed.data : undefined;
}

/** The stored report view of a sweep, or undefined when report.json is missing or of an older version. */
export async function readReportView(
  layout: ArtifactLayout,
  sweepId: string,
): Promise<ReportView | undefined> {
  const parsed = reportViewSchema.safeParse(await readJson(layout.reportFile(sweepId, 'json')));
  return parsed.success ? parsed.data : undefined;
}

/** Writes a sweep's report view to report.json atomically (readers never see half a file); returns the file. */
export async function writeReportView(layout: ArtifactLayout, view: ReportView): Promise<string> {
  const file = layout.reportFile(view.sweepId, 'json');
  await mkdir(dirname(file), { recursive: true });
  await writeFileWhole(file, `${JSON.stringify(view, null, 2)}\n`);
  return file;
}

/**
 * A trial's run.json and predictions.json as read (either may be missing: undefined); `source` is
 * the run file relative to ARTIFACTS_DIR, so a stored view holds no machine's paths.
 */
export async function readRunSource(
  layout: ArtifactLayout,
  sweepId: string,
  trialId: string,
): Promise<RunSource> {
  const dir = layout.trialDir(sweepId, trialId);
  const file = join(dir, 'run.json');
  return {
    trialId,
    source: relative(layout.root, file),
    record: await readJson(file),
    predictions: await readJson(join(dir, 'predictions.json')),
  };
}

/** Ids of the trial directories of a sweep, sorted. */
export async function trialIds(layout: ArtifactLayout, sweepId: string): Promise<string[]> {
  return validIds(join(layout.sweepDir(sweepId), 'trials'));
}

/** Ids of the sweep directories under ARTIFACTS_DIR/sweeps, sorted. */
export async function sweepIds(layout: ArtifactLayout): Promise<string[]> {
  return validIds(join(layout.root, 'sweeps'));
}

/** Parsed JSON of a file, undefined when it is missing or unreadable (a trial still being written). */
export async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function validIds(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && idSchema.safeParse(entry.name).success)
    .map((entry) => entry.name)
    .sort();
}
