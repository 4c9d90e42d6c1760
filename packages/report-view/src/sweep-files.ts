import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArtifactLayout, idSchema } from '@repo/contracts';
import { z } from 'zod';

/** The fields of the reporter's report.json a page needs (the rest is recomputed from run records). */
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

/** report.json of a sweep, or undefined when it is missing or not a report. */
export async function readReportFile(
  layout: ArtifactLayout,
  sweepId: string,
): Promise<ReportFile | undefined> {
  const parsed = reportFileSchema.safeParse(await readJson(layout.reportFile(sweepId, 'json')));
  return parsed.success ? parsed.data : undefined;
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
