import { join, relative } from 'node:path';
import {
  type ArtifactLayout,
  fileExists,
  summaryOf,
  type TrialJob,
  type TrialProgress,
  type TrialRecordWriter,
  type TrialSummary,
} from '@repo/contracts';
import { MANIFEST_FILE, ManifestError, openDataset } from '@repo/dataset';
import type { BackendName, TrialSetup } from '@repo/model';
import { headlineMetrics, runTrial, TrialDir } from '@repo/trial-runner';
import type { Logger } from 'pino';
import type { AttemptClock } from './attempt-clock.js';
import { DatasetNotReadyError } from './errors.js';
import { readTrialEnding, writeTrialFile } from './trial-file.js';

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
  /** Starts this attempt on the trial's record, once its dataset is there; returns the record's writer. */
  startRecord: () => Promise<TrialRecordWriter>;
  onProgress: (progress: TrialProgress, record: TrialRecordWriter) => Promise<void>;
  log: Logger;
}

/**
 * A sweep's trial, as a job runs it: waits for its dataset (`DatasetNotReadyError`), checks that the
 * dataset is the one planned, starts the attempt on the trial's record, runs it with
 * `@repo/trial-runner` in `sweeps/<sweep>/trials/<trial>/`, ends the record `completed` with its
 * result (mirrored to trial.json, before run.json) and returns the job's summary. A trial already
 * recorded on disk puts its ending back on the record (Redis may have lost it) and returns it.
 */
export async function runSweepTrial(
  trial: TrialJob,
  setup: TrialSetup,
  context: TrialContext,
): Promise<TrialSummary> {
  const dir = new TrialDir(context.layout.trialDir(trial.sweepId, trial.trialId));
  if (await dir.recorded()) {
    context.log.info('trial already recorded; returning its summary');
    const record = await context.startRecord();
    await record.write(await readTrialEnding(dir));
    return summaryOrThrow(record);
  }
  const datasetDir = context.layout.datasetDir(trial.datasetId);
  const manifestFile = join(datasetDir, MANIFEST_FILE);
  if (!(await fileExists(manifestFile))) throw new DatasetNotReadyError(trial.datasetId, manifestFile);
  const dataset = await openDataset(datasetDir);
  if (dataset.manifest.datasetId !== trial.datasetId) {
    throw new ManifestError(
      manifestFile,
      `holds dataset ${dataset.manifest.datasetId}, not ${trial.datasetId}`,
    );
  }
  const trialRecord = await context.startRecord();
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
        context.onProgress({ phase, ...progress, train: entry.train, val: entry.val }, trialRecord),
      beforeRecord: async ({ record, trained, trainMs }) => {
        context.log.info({ epochs: trained.history.length, resumedEpochs: trained.resumedEpochs }, 'trained');
        await trialRecord.write({
          status: 'completed',
          result: {
            runFile: relative(context.layout.root, dir.runFile),
            epochs: trained.history.length,
            bestEpoch: trained.bestEpoch,
            stoppedEarly: trained.stoppedEarly,
            resumedEpochs: trained.resumedEpochs,
            test: headlineMetrics(record),
            trainMs,
            ...context.attempt.usage(),
          },
        });
        // trial.json first: run.json's presence means the trial is complete.
        await context.confirmLease();
        await writeTrialFile(dir, { ...trialRecord.state, curve: await trialRecord.curve() });
      },
    },
  );
  return summaryOrThrow(trialRecord);
}

/** The job's return value of a record that ended well. */
export function summaryOrThrow(record: TrialRecordWriter): TrialSummary {
  const summary = summaryOf(record.state);
  if (summary === undefined) throw new Error(`trial ${record.state.trialId}: recorded without a result`);
  return summary;
}
