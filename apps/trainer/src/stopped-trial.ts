import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ArtifactLayout, EpochRecord, TrialJob, TrialSummary } from '@repo/contracts';
import { GENERATOR_VERSION, MANIFEST_FILE } from '@repo/dataset';
import { parseRunRecord, RUN_RECORD_FORMAT, RUN_RECORD_VERSION, type RunRecord } from '@repo/metrics';
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';
import type { TrialStoppedError } from './errors.js';
import { TrialDir } from './trial-dir.js';

export interface StoppedTrial {
  trial: TrialJob;
  layout: ArtifactLayout;
  /** The BullMQ job id: the run id. */
  jobId: string;
  backend: string;
  startedAt: Date;
  /** `process.cpuUsage()` when the attempt started. */
  cpuAtStart: NodeJS.CpuUsage;
  stop: TrialStoppedError;
  /** The training epochs it ran (from the sweep's TrialCurves, resumed epochs included). */
  history: EpochRecord[];
}

/**
 * Records a trial the sweep's scheduler stopped: `history.json`, then `summary.json`, then `run.json`
 * with status `stopped-early-by-scheduler` and the reason. It has no test metrics (a stopped trial is
 * not scored) and keeps its last epoch checkpoint.
 */
export async function recordStoppedTrial(stopped: StoppedTrial): Promise<TrialSummary> {
  const { trial, layout, stop } = stopped;
  const dir = new TrialDir(layout.trialDir(trial.sweepId, trial.trialId));
  const history = stopped.history
    .slice(0, stop.epoch)
    .map(({ epoch, train, val }) => ({ epoch, train, val }));
  const manifest = await readFile(join(layout.datasetDir(trial.datasetId), MANIFEST_FILE));
  const record: RunRecord = parseRunRecord(
    {
      format: RUN_RECORD_FORMAT,
      version: RUN_RECORD_VERSION,
      runId: stopped.jobId,
      sweepId: trial.sweepId,
      config: trial.config,
      seed: trial.seed,
      dataset: { id: trial.datasetId, sha256: createHash('sha256').update(manifest).digest('hex') },
      backend: stopped.backend,
      packages: {
        '@tensorflow/tfjs-core': version_core,
        '@tensorflow/tfjs-layers': version_layers,
        '@repo/dataset generator': GENERATOR_VERSION,
      },
      startedAt: stopped.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
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
  const summary: TrialSummary = {
    sweepId: trial.sweepId,
    trialId: trial.trialId,
    runFile: relative(layout.root, dir.runFile),
    epochs: history.length,
    bestEpoch,
    stoppedEarly: true,
    stoppedByScheduler: stop.reason,
    resumedEpochs: 0,
    test: {},
    durationMs: Date.now() - stopped.startedAt.getTime(),
    // Not split out for a stopped trial: its attempt was training all along but for loading data.
    trainMs: 0,
    cpuMs: cpuMilliseconds(process.cpuUsage(stopped.cpuAtStart)),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  await dir.writeJson('history.json', { train: history });
  await dir.writeJson('summary.json', summary);
  await dir.writeJson('run.json', record);
  return summary;
}

function cpuMilliseconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
