/** No sweep with this id in the artifact directory. */
export class SweepNotFoundError extends Error {
  override readonly name = 'SweepNotFoundError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SWEEP_NOT_FOUND';
  constructor(
    readonly sweepId: string,
    /** The directory looked in. */
    readonly dir: string,
  ) {
    super(`no sweep ${sweepId} (no directory ${dir})`);
  }
}
