import type { TrialSummary } from '@repo/contracts';

/** What a stand-in trainer returns for a trial whose run record it wrote: one epoch, unit timings. */
export function stubTrialSummary(
  sweepId: string,
  trialId: string,
  extra: Partial<TrialSummary> = {},
): TrialSummary {
  return {
    sweepId,
    trialId,
    runFile: `sweeps/${sweepId}/trials/${trialId}/run.json`,
    epochs: 1,
    bestEpoch: 1,
    stoppedEarly: false,
    resumedEpochs: 0,
    test: {},
    durationMs: 1,
    trainMs: 1,
    cpuMs: 1,
    peakRssMiB: 1,
    ...extra,
  };
}
