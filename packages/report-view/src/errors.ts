/** No sweep with this id in the artifact directory. */
export class SweepNotFoundError extends Error {
  override readonly name = 'SweepNotFoundError';
  constructor(
    readonly sweepId: string,
    /** The directory looked in. */
    readonly dir: string,
  ) {
    super(`no sweep ${sweepId} (no directory ${dir})`);
  }
}
