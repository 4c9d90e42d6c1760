/** A trial record written by another release of the schema, or not a trial record at all. */
export class TrialRecordVersionError extends Error {
  override readonly name = 'TrialRecordVersionError';
  static readonly code = 'ERR_TRIAL_RECORD_VERSION';
  /** Stable: match on it, never on the message. */
  readonly code = TrialRecordVersionError.code;
  /** Where the record was read: a Redis key or a file. */
  readonly source: string;

  constructor(source: string, detail: string) {
    super(`${source}: not a trial record this release reads (${detail})`);
    this.source = source;
  }
}
