/**
 * A sweep cannot be forgotten while trainers hold some of its trials: removing their jobs from under
 * them would leave attempts writing for a sweep Redis no longer knows.
 */
export class SweepBusyError extends Error {
  override readonly name = 'SweepBusyError';
  static readonly code = 'ERR_SWEEP_BUSY';
  /** Stable: match on it, never on the message. */
  readonly code = SweepBusyError.code;
  readonly sweepId: string;
  /** The trials being trained now. */
  readonly running: string[];

  constructor(sweepId: string, running: string[]) {
    super(
      `sweep ${sweepId} has ${running.length} trial${running.length === 1 ? '' : 's'} training now ` +
        `(${running.join(', ')}): mtl cancel ${sweepId}, then try again once they have stopped`,
    );
    this.sweepId = sweepId;
    this.running = running;
  }
}
