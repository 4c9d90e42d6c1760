import { type ArtifactLayout, fileExists } from '@repo/contracts/records';
import { openDataset } from '@repo/dataset';
import type { Objective } from '@repo/metrics';
import { buildReportView, type RunSource } from './build-report-view.js';
import { SweepNotFoundError } from './errors.js';
import type { ReportView } from './report-view.js';
import { sampleImages } from './sample-images.js';
import { readReportFile, readReportView, readRunSource, trialIds } from './sweep-files.js';
import type { SweepView } from './sweep-view.js';

export interface LoadSweepOptions {
  /** The sweep's state from the queues, when the caller knows it (see SweepStatusReader). */
  state?: string;
  /** Trials planned, when the caller knows them. */
  trials?: number;
  /** Ranks a provisional view (a written report keeps the objective it was aggregated with). */
  objective?: Objective;
  /** Embed the sample test images from the dataset's test split. Default true. */
  images?: boolean;
}

/**
 * A sweep's view for its page: the report view the reporter wrote (report.json) as it is, with the
 * sweep's live state and sample images from its dataset. Before a report is written (a sweep still
 * running, or a report.json of an older version) it is built from the run records as they are now
 * and marked `provisional`. Throws SweepNotFoundError when the sweep has no directory; an id that is
 * not an id throws (ArtifactLayout validates it).
 */
export async function loadSweepView(
  layout: ArtifactLayout,
  sweepId: string,
  options: LoadSweepOptions = {},
): Promise<SweepView> {
  const dir = layout.sweepDir(sweepId);
  if (!(await fileExists(dir))) throw new SweepNotFoundError(sweepId, dir);
  const stored = await readReportView(layout, sweepId);
  const report = stored ?? (await provisionalView(layout, sweepId, options));
  const state = options.state ?? (report.counts.pending > 0 ? 'running' : 'completed');
  const view: SweepView = {
    ...report,
    ...(options.trials !== undefined && options.trials > report.counts.trials
      ? { counts: { ...report.counts, trials: options.trials } }
      : {}),
    state,
    provisional: stored === undefined,
    samples: { imageSize: 0, images: [] },
  };
  if (options.images ?? true) view.samples = await loadSampleImages(layout, view);
  return view;
}

/** The test images the view's sample predictions are drawn over, from its dataset (none when unreadable). */
export async function loadSampleImages(
  layout: ArtifactLayout,
  view: ReportView,
): Promise<SweepView['samples']> {
  const indices = view.runs[0]?.predictions?.samples.map((sample) => sample.index) ?? [];
  if (view.datasetId === undefined || indices.length === 0) return { imageSize: 0, images: [] };
  return readSamples(layout, view.datasetId, indices);
}

/** The view of a sweep not reported yet, from its trials' run records (an older report.json gives hints). */
async function provisionalView(
  layout: ArtifactLayout,
  sweepId: string,
  options: LoadSweepOptions,
): Promise<ReportView> {
  const legacy = await readReportFile(layout, sweepId);
  const runs: RunSource[] = [];
  const running: string[] = [];
  for (const trialId of await trialIds(layout, sweepId)) {
    const run = await readRunSource(layout, sweepId, trialId);
    if (run.record !== undefined) runs.push(run);
    else if (!legacy?.failed.some((entry) => entry.trialId === trialId)) running.push(trialId);
  }
  return buildReportView({
    sweepId,
    ...(legacy ? { name: legacy.name, datasetId: legacy.datasetId, trials: legacy.counts.trials } : {}),
    ...(options.trials !== undefined ? { trials: options.trials } : {}),
    ...(options.objective !== undefined ? { objective: options.objective } : {}),
    runs,
    failed: legacy?.failed ?? [],
    pending: [...new Set([...(legacy?.pending ?? []), ...running])],
  });
}

/** The sample images of the test split's first shard; none when the dataset cannot be read. */
async function readSamples(layout: ArtifactLayout, datasetId: string, indices: number[]) {
  try {
    const dataset = await openDataset(layout.datasetDir(datasetId));
    const shard = await dataset.readShard('test', 0);
    return { imageSize: shard.imageSize, images: sampleImages(shard, indices) };
  } catch {
    return { imageSize: 0, images: [] };
  }
}
