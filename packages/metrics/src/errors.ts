/** Inputs of a metric that cannot be scored (lengths differ, a label out of range). */
export class MetricsInputError extends Error {
  override readonly name = 'MetricsInputError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_METRICS_INPUT';
}

/** A run record that fails its schema; `issues` name each bad field (`test.shape.accuracy: …`). */
export class InvalidRunRecordError extends Error {
  override readonly name = 'InvalidRunRecordError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_INVALID_RUN_RECORD';
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
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_AGGREGATION';
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
  }
}
