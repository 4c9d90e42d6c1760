/** The trial's dataset has no manifest yet: its generation has not finished (or not started). */
export class DatasetNotReadyError extends Error {
  override readonly name = 'DatasetNotReadyError';
  readonly datasetId: string;

  constructor(datasetId: string, manifestFile: string) {
    super(`dataset ${datasetId} is not generated yet (no ${manifestFile})`);
    this.datasetId = datasetId;
  }
}

/** The sweep's scheduler stopped the trial after an epoch; `reason` says why (a rung, a median). */
export class TrialStoppedError extends Error {
  override readonly name = 'TrialStoppedError';

  constructor(
    readonly epoch: number,
    readonly reason: string,
  ) {
    super(`stopped by the sweep's scheduler after epoch ${epoch}: ${reason}`);
  }
}

/** The trial's sweep was cancelled (`mtl cancel`); the trial stops, its checkpoint stays. */
export class SweepCancelledError extends Error {
  override readonly name = 'SweepCancelledError';

  constructor(
    readonly sweepId: string,
    completedEpochs?: number,
  ) {
    super(
      `sweep ${sweepId} was cancelled` +
        (completedEpochs === undefined
          ? ' before this trial started'
          : `; stopped after epoch ${completedEpochs}`),
    );
  }
}

/**
 * The trial's job lock is no longer this worker's: it lapsed (Redis out of reach for longer than the
 * lock lasts) and another worker may be training the trial now. Nothing more is written for it here.
 */
export class TrialLeaseLostError extends Error {
  override readonly name = 'TrialLeaseLostError';

  constructor(readonly jobId: string) {
    super(`trial job ${jobId} is no longer locked by this worker; stopped without writing to it`);
  }
}
