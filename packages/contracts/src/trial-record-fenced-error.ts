/**
 * A write by an attempt that no longer owns its trial's record: another attempt started since (the
 * trial was taken over after this process stalled past its job lock). Nothing was written.
 */
export class TrialRecordFencedError extends Error {
  override readonly name = 'TrialRecordFencedError';
  static readonly code = 'ERR_TRIAL_RECORD_FENCED';
  /** Stable: match on it, never on the message. */
  readonly code = TrialRecordFencedError.code;
  readonly sweepId: string;
  readonly trialId: string;
  /** The attempt's fence, which a later attempt's replaced. */
  readonly fence: number;

  constructor(sweepId: string, trialId: string, fence: number) {
    super(
      `trial ${sweepId}/${trialId}: attempt ${fence} lost the trial to a later attempt; it writes nothing more`,
    );
    this.sweepId = sweepId;
    this.trialId = trialId;
    this.fence = fence;
  }
}
