/** The trial's dataset has no manifest yet: its generation has not finished (or not started). */
export class DatasetNotReadyError extends Error {
  override readonly name = 'DatasetNotReadyError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_DATASET_NOT_READY';
  readonly datasetId: string;
  readonly manifestFile: string;

  constructor(datasetId: string, manifestFile: string) {
    super(`dataset ${datasetId} is not generated yet (no ${manifestFile})`);
    this.datasetId = datasetId;
    this.manifestFile = manifestFile;
  }
}

/** The sweep's scheduler stopped the trial after an epoch; `reason` says why (a rung, a median). */
export class TrialStoppedError extends Error {
  override readonly name = 'TrialStoppedError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_TRIAL_STOPPED';

  constructor(
    readonly epoch: number,
    readonly reason: string,
  ) {
    super(`stopped by the sweep's scheduler after epoch ${epoch}: ${reason}`);
  }
}

/**
 * The trial's job lock is no longer this worker's: it lapsed (Redis out of reach for longer than the
 * lock lasts) and another worker may be training the trial now. Nothing more is written for it here.
 */
export class TrialLeaseLostError extends Error {
  override readonly name = 'TrialLeaseLostError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_TRIAL_LEASE_LOST';

  constructor(readonly jobId: string) {
    super(`trial job ${jobId} is no longer locked by this worker; stopped without writing to it`);
  }
}
