import { access, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  type ArtifactLayout,
  type TrialJob,
  type TrialProgress,
  type TrialSummary,
  trialSummarySchema,
} from '@repo/contracts';
import { MANIFEST_FILE, ManifestError, openDataset } from '@repo/dataset';
import type { BackendName, TrialSetup } from '@repo/model';
import { headlineMetrics, runTrial, TrialDir } from '@repo/trial-runner';
import type { Logger } from 'pino';
import type { AttemptClock } from './attempt-clock.js';
import { DatasetNotReadyError } from './errors.js';

export interface TrialContext {
  layout: ArtifactLayout;
  /** The BullMQ job id: the run id, and named in messages. */
  jobId: string;
  backend: BackendName;
  /** Started when the attempt did: its timing goes into the summary. */
  attempt: AttemptClock;
  /** Aborting (worker shutting down) stops training at the next batch; the last checkpoint stays. */
  signal?: AbortSignal;
  /** Called between batches; exits the process when its worker is gone (see orphan-guard). */
  checkOrphaned: () => void;
  /** Awaited before every write to the trial directory; throws once the trial is another worker's. */
  confirmLease: () => Promise<void>;
  /** Named in the trial's checkpoints (`host/pid` of this sandbox): which worker wrote them. */
  writer: string;
  onProgress: (progress: TrialProgress) => Promise<void>;
  log: Logger;
}

/**
 * A sweep's trial, as a job runs it: waits for its dataset (`DatasetNotReadyError`), checks that the
 * dataset is the one planned, runs it with `@repo/trial-runner` in `sweeps/<sweep>/trials/<trial>/`
 * and returns the job's summary (also written to summary.json, before run.json). A trial already
 * recorded returns its summary unchanged.
 */
export async function runSweepTrial(
  trial: TrialJob,
  setup: TrialSetup,
  context: TrialContext,
): Promise<TrialSummary> {
  const dir = new TrialDir(context.layout.trialDir(trial.sweepId, trial.trialId));
  if (await dir.recorded()) {
    context.log.info('trial already recorded; returning its summary');
    return trialSummarySchema.parse(JSON.parse(await readFile(join(dir.dir, 'summary.json'), 'utf8')));
  }
  const datasetDir = context.layout.datasetDir(trial.datasetId);
  const manifestFile = join(datasetDir, MANIFEST_FILE);
  if (!(await exists(manifestFile))) throw new DatasetNotReadyError(trial.datasetId, manifestFile);
  const dataset = await openDataset(datasetDir);
  if (dataset.manifest.datasetId !== trial.datasetId) {
    throw new ManifestError(
      manifestFile,
      `holds dataset ${dataset.manifest.datasetId}, not ${trial.datasetId}`,
    );
  }
  let summary: TrialSummary | undefined;
  await runTrial(
    {
      runId: context.jobId,
      sweepId: trial.sweepId,
      config: trial.config,
      setup,
      dataset,
      dir,
      root: context.layout.root,
      backend: context.backend,
      startedAt: context.attempt.startedAt,
    },
    {
      ...(context.signal ? { signal: context.signal } : {}),
      onBatch: context.checkOrphaned,
      beforeWrite: context.confirmLease,
      checkpointWriter: context.writer,
      onEpoch: (phase, entry, progress) =>
        context.onProgress({ phase, ...progress, train: entry.train, val: entry.val }),
      beforeRecord: async ({ record, trained, trainMs }) => {
        context.log.info({ epochs: trained.history.length, resumedEpochs: trained.resumedEpochs }, 'trained');
        summary = {
          sweepId: trial.sweepId,
          trialId: trial.trialId,
          runFile: relative(context.layout.root, dir.runFile),
          epochs: trained.history.length,
          bestEpoch: trained.bestEpoch,
          stoppedEarly: trained.stoppedEarly,
          resumedEpochs: trained.resumedEpochs,
          test: headlineMetrics(record),
          trainMs,
          ...context.attempt.usage(),
        };
        // summary.json first: run.json's presence means the trial is complete.
        await context.confirmLease();
        await dir.writeJson('summary.json', summary);
      },
    },
  );
  if (summary === undefined) throw new Error(`trial ${trial.trialId}: recorded without a summary`);
  return summary;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
