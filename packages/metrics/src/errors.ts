/** Inputs of a metric that cannot be scored (lengths differ, a label out of range). */
export class MetricsInputError extends Error {
  override readonly name = 'MetricsInputError';
}

/** A run record that fails its schema; `issues` name each bad field (`test.shape.accuracy: …`). */
export class InvalidRunRecordError extends Error {
  override readonly name = 'InvalidRunRecordError';
  constructor(
    /** Where the record came from (usually its file). */
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`${source}: invalid run record: ${issues.join('; ')}`);
  }
}

/** Runs that cannot be aggregated together (e.g. one group's records disagree on a head's labels). */
export class AggregationError extends Error {
  override readonly name = 'AggregationError';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}
