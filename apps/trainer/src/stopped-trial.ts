import { relative } from 'node:path';
import type { ArtifactLayout, TrialJob, TrialRecordWriter, TrialSummary } from '@repo/contracts';
import { parseRunRecord, type RunRecord } from '@repo/metrics';
import { manifestSha256, runRecordHeader, TrialDir } from '@repo/trial-runner';
import type { AttemptClock } from './attempt-clock.js';
import type { TrialStoppedError } from './errors.js';
import { summaryOrThrow } from './sweep-trial.js';
import { TRIAL_FILE } from './trial-file.js';

export interface StoppedTrial {
  trial: TrialJob;
  layout: ArtifactLayout;
  /** The BullMQ job id: the run id. */
  jobId: string;
  backend: string;
  attempt: AttemptClock;
  stop: TrialStoppedError;
  /** The attempt's writer of the trial's record, which holds the epochs it ran (resumed ones included). */
  record: TrialRecordWriter;
  /** Awaited before each file is written: throws once the trial is another worker's. */
  confirmLease: () => Promise<void>;
}

/**
 * Records a trial the sweep's scheduler stopped: its record ends `stopped` with the decision, then
 * `history.json`, `trial.json` and `run.json` (status `stopped-early-by-scheduler`, the reason). It has
 * no test metrics (a stopped trial is not scored) and keeps its last epoch checkpoint.
 */
export async function recordStoppedTrial(stopped: StoppedTrial): Promise<TrialSummary> {
  const { trial, layout, stop } = stopped;
  const dir = new TrialDir(layout.trialDir(trial.sweepId, trial.trialId));
  const curve = await stopped.record.curve();
  const history = curve.slice(0, stop.epoch).map(({ epoch, train, val }) => ({ epoch, train, val }));
  const record: RunRecord = parseRunRecord(
    {
      ...runRecordHeader({
        runId: stopped.jobId,
        sweepId: trial.sweepId,
        config: trial.config,
        seed: trial.seed,
        datasetId: trial.datasetId,
        manifestSha256: await manifestSha256(layout.datasetDir(trial.datasetId)),
        backend: stopped.backend,
        startedAt: stopped.attempt.startedAt,
      }),
      status: 'stopped-early-by-scheduler',
      reason: stop.reason,
      history,
    },
    stopped.jobId,
  );
  const bestEpoch = history.reduce(
    (best, entry) =>
      (entry.val.loss ?? Infinity) < (history[best - 1]?.val.loss ?? Infinity) ? entry.epoch : best,
    history.length > 0 ? 1 : 0,
  );
  await stopped.record.write({
    status: 'stopped',
    decision: { action: 'stop', epoch: stop.epoch, reason: stop.reason },
    result: {
      runFile: relative(layout.root, dir.runFile),
      epochs: history.length,
      bestEpoch,
      stoppedEarly: true,
      resumedEpochs: 0,
      test: {},
      // Not split out for a stopped trial: its attempt was training all along but for loading data.
      trainMs: 0,
      ...stopped.attempt.usage(),
    },
  });
  for (const [name, value] of [
    ['history.json', { train: history }],
    [TRIAL_FILE, { ...stopped.record.state, curve }],
    ['run.json', record],
  ] as const) {
    await stopped.confirmLease();
    await dir.writeJson(name, value);
  }
  return summaryOrThrow(stopped.record);
}
