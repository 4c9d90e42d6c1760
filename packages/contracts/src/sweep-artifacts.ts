import { join } from 'node:path';
import type { ArtifactLayout } from './artifact-layout.js';
import { fileExists } from './file-exists.js';
import type { SweepStatus } from './sweep-status.js';

/**
 * What Redis says a sweep wrote that is not under this ARTIFACTS_DIR: the files were deleted, or the
 * workers wrote them under another ARTIFACTS_DIR. Deterministic sweep ids make this the usual cause
 * of "already enqueued" after `rm -rf artifacts` or from a second clone against the same Redis.
 */
export interface MissingArtifacts {
  /** The sweep's directory in the layout that was looked in. */
  sweepDir: string;
  /** report.json, when the registry says the report was written. */
  report?: string;
  /** Completed trials whose run.json is absent. */
  trials: string[];
  /** Completed trials in all: what `trials` is out of. */
  completed: number;
}

/**
 * The artifacts `status` promises (the report once written, each completed trial's run record) that
 * `layout` lacks, or undefined when every one is there. Nothing is expected of a sweep that has not
 * written anything yet, so a fresh or running sweep is never reported missing by its pending work.
 */
export async function missingArtifacts(
  layout: ArtifactLayout,
  status: SweepStatus,
): Promise<MissingArtifacts | undefined> {
  const { sweepId } = status.sweep;
  const completed = status.trials.filter((trial) => trial.state === 'completed');
  const absentTrials = (
    await Promise.all(
      completed.map(async ({ trialId }) =>
        (await fileExists(join(layout.trialDir(sweepId, trialId), 'run.json'))) ? undefined : trialId,
      ),
    )
  ).filter((trialId): trialId is string => trialId !== undefined);
  const reportFile = layout.reportFile(sweepId, 'json');
  const reportAbsent = status.sweep.reportedAt !== undefined && !(await fileExists(reportFile));
  if (!reportAbsent && absentTrials.length === 0) return undefined;
  return {
    sweepDir: layout.sweepDir(sweepId),
    ...(reportAbsent ? { report: reportFile } : {}),
    trials: absentTrials,
    completed: completed.length,
  };
}

/** One line naming what is missing, e.g. `report.json and 3 of 3 completed trials' run.json are not under …`. */
export function describeMissing(missing: MissingArtifacts): string {
  const parts = [
    ...(missing.report ? ['report.json'] : []),
    ...(missing.trials.length > 0
      ? [`${missing.trials.length} of ${missing.completed} completed trials' run.json`]
      : []),
  ];
  return `${parts.join(' and ')} ${parts.length === 1 && missing.report ? 'is' : 'are'} not under ${missing.sweepDir}`;
}
