import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactLayout } from '@repo/contracts';
import { openDataset } from '@repo/dataset';
import type { Objective } from '@repo/metrics';
import { SweepNotFoundError } from './errors.js';
import { sampleImages } from './sample-images.js';
import { readJson, readReportFile, trialIds } from './sweep-files.js';
import { buildSweepView, type RunSource, type SweepView } from './sweep-view.js';

export interface LoadSweepOptions {
  /** The sweep's state from the queues, when the caller knows it (see SweepStatusReader). */
  state?: string;
  /** Trials planned, when the caller knows them. */
  trials?: number;
  objective?: Objective;
  /** Embed the sample test images from the dataset's test split. Default true. */
  images?: boolean;
}

/**
 * Reads a sweep from ARTIFACTS_DIR (report.json when written, every trial's run.json and
 * predictions.json, sample images from its dataset) and builds its view. Throws SweepNotFoundError
 * when the sweep has no directory; an id that is not an id throws (ArtifactLayout validates it).
 */
export async function loadSweepView(
  layout: ArtifactLayout,
  sweepId: string,
  options: LoadSweepOptions = {},
): Promise<SweepView> {
  const dir = layout.sweepDir(sweepId);
  if (!(await exists(dir))) throw new SweepNotFoundError(sweepId, dir);
  const report = await readReportFile(layout, sweepId);
  const runs: RunSource[] = [];
  const running: string[] = [];
  for (const trialId of await trialIds(layout, sweepId)) {
    const trialDir = layout.trialDir(sweepId, trialId);
    const source = join(trialDir, 'run.json');
    const record = await readJson(source);
    if (record === undefined) {
      if (!report?.failed.some((entry) => entry.trialId === trialId)) running.push(trialId);
      continue;
    }
    runs.push({ trialId, source, record, predictions: await readJson(join(trialDir, 'predictions.json')) });
  }
  const pending = [...new Set([...(report?.pending ?? []), ...running])].filter(
    (trialId) => !runs.some((run) => run.trialId === trialId),
  );
  const datasetId = report?.datasetId ?? datasetOf(runs);
  const view = buildSweepView({
    sweepId,
    ...(report ? { name: report.name, reportedAt: report.generatedAt, trials: report.counts.trials } : {}),
    ...(datasetId !== undefined ? { datasetId } : {}),
    ...(options.state !== undefined ? { state: options.state } : {}),
    ...(options.trials !== undefined ? { trials: options.trials } : {}),
    ...(options.objective !== undefined ? { objective: options.objective } : {}),
    runs,
    failed: report?.failed ?? [],
    pending,
  });
  if ((options.images ?? true) && datasetId !== undefined) {
    const indices = view.runs[0]?.predictions?.samples.map((sample) => sample.index) ?? [];
    if (indices.length > 0) view.samples = await readSamples(layout, datasetId, indices);
  }
  return view;
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

function datasetOf(runs: readonly RunSource[]): string | undefined {
  for (const { record } of runs) {
    const id = (record as { dataset?: { id?: unknown } } | null)?.dataset?.id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
