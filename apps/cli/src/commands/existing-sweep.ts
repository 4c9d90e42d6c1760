import {
  ArtifactLayout,
  describeMissing,
  fileExists,
  missingArtifacts,
  type RetriedSweep,
  SweepBusyError,
} from '@repo/contracts';
import { ExitCode, ExitStatus } from '../errors.js';
import type { Queues } from './queue-options.js';

/** What was done about a sweep id Redis already held, before its plan is enqueued. */
export interface Rerun {
  /** Its files were gone: Redis forgot it, and the plan runs from scratch. */
  forgotten?: string;
  /** It was cancelled: its unfinished trials run again. */
  resumed?: RetriedSweep;
  /** Enqueue the dataset afresh: its manifest is not under ARTIFACTS_DIR either. */
  regenerateDataset: boolean;
}

/**
 * Sweep ids are content addresses of the spec, so enqueuing a spec again meets what Redis remembers
 * of the last time. Two such states would otherwise answer "already enqueued" while nothing runs:
 * a sweep whose files are not under `artifacts` (deleted, or another ARTIFACTS_DIR): exit 1, or with
 * `restart` forgotten so that it runs from scratch; a cancelled sweep: exit 4, or with `restart` its
 * unfinished trials resumed. `how` is what the messages tell the user to run for `restart`.
 */
export async function prepareRerun(
  queues: Queues,
  sweepId: string,
  artifacts: string,
  options: { restart: boolean; how: string },
): Promise<Rerun> {
  const layout = new ArtifactLayout(artifacts);
  const existing = await queues.reader.status(sweepId);
  if (existing === undefined) return { regenerateDataset: false };
  const missing = await missingArtifacts(layout, existing);
  if (missing) {
    if (!options.restart)
      throw new ExitStatus(
        ExitCode.failure,
        `sweep ${sweepId} (${existing.state}) is in Redis, but its files are gone: ${describeMissing(missing)} ` +
          `(deleted, or written under another ARTIFACTS_DIR: --artifacts names it). ` +
          `${options.how} forgets it in Redis and runs it again from scratch.`,
      );
    await queues.producer.forgetSweep(sweepId).catch((error: unknown) => {
      if (error instanceof SweepBusyError) throw new ExitStatus(ExitCode.failure, error.message);
      throw error;
    });
    const manifest = layout.manifestFile(existing.sweep.datasetId);
    const regenerateDataset = !(await fileExists(manifest));
    return { forgotten: describeMissing(missing), regenerateDataset };
  }
  if (existing.sweep.cancelledAt === undefined) return { regenerateDataset: false };
  if (!options.restart) {
    const { done, total } = existing.counts;
    throw new ExitStatus(
      ExitCode.sweepCancelled,
      `sweep ${sweepId} was cancelled at ${existing.sweep.cancelledAt ?? '?'} with ${done} of ${total} trials done: ` +
        `nothing more of it runs. ${options.how} (or mtl retry ${sweepId} --cancelled) runs its unfinished ` +
        'trials; finished ones are kept.',
    );
  }
  const resumed = await queues.producer.resumeCancelled(sweepId);
  return { ...(resumed ? { resumed } : {}), regenerateDataset: false };
}
