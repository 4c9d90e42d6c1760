import {
  type EpochRecord,
  summaryOf,
  type TrialJob,
  type TrialRecordStatus,
  TrialRecordStore,
  type TrialSummary,
} from '@repo/contracts';
import type { Redis } from 'ioredis';

/** What a stand-in trainer records of a trial: its epochs and how it ended. */
export interface StubTrial {
  /** Training epochs to record, in order (objective = the `objective` given with each). */
  epochs?: { entry: EpochRecord; objective?: number }[];
  status?: Extract<TrialRecordStatus, 'completed' | 'stopped' | 'failed' | 'cancelled'>;
  reason?: string;
  /** Fields of the result over the defaults (one epoch, unit timings). */
  result?: Partial<TrialSummary>;
}

/**
 * Records a trial as the trainer would (an attempt's writer: epochs, then its end) and returns the
 * job's return value for a trial that ended well.
 */
export async function recordStubTrial(
  redis: Redis,
  prefix: string,
  job: { id?: string; data: TrialJob },
  stub: StubTrial = {},
): Promise<TrialSummary | undefined> {
  const { sweepId, trialId, datasetId, config, seed } = job.data;
  const writer = await new TrialRecordStore(redis, prefix).startAttempt(
    { sweepId, trialId, jobId: job.id ?? `${sweepId}-${trialId}`, datasetId, config, seed },
    'stub/1',
  );
  for (const { entry, objective } of stub.epochs ?? []) {
    await writer.epoch(entry, {
      progress: { phase: 'train', epoch: entry.epoch, epochs: stub.epochs?.length ?? 1, val: entry.val },
      ...(objective === undefined ? {} : { objective }),
    });
  }
  const status = stub.status ?? 'completed';
  const { stoppedByScheduler, sweepId: _s, trialId: _t, ...result } = stub.result ?? {};
  await writer.write({
    status,
    ...(stub.reason === undefined ? {} : { reason: stub.reason }),
    ...(status === 'stopped'
      ? {
          decision: {
            action: 'stop' as const,
            epoch: stub.epochs?.length || 1,
            reason: stoppedByScheduler ?? stub.reason ?? 'stopped',
          },
        }
      : {}),
    ...(status === 'completed' || status === 'stopped'
      ? {
          result: {
            runFile: `sweeps/${sweepId}/trials/${trialId}/run.json`,
            epochs: 1,
            bestEpoch: 1,
            stoppedEarly: status === 'stopped',
            resumedEpochs: 0,
            test: {},
            durationMs: 1,
            trainMs: 1,
            cpuMs: 1,
            peakRssMiB: 1,
            ...result,
          },
        }
      : {}),
  });
  return summaryOf(writer.state);
}
