import type { z } from 'zod';

/** A job payload, sweep plan or environment that does not match its schema; names the field at fault. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_PAYLOAD';
  /** What was parsed, e.g. `sweep plan` or `job abc-t1`. */
  readonly source: string;
  /** Dotted path of the first offending field, `(root)` for the whole value. */
  readonly field: string;

  constructor(source: string, field: string, reason: string, options?: ErrorOptions) {
    super(`${source}: field ${field}: ${reason}`, options);
    this.source = source;
    this.field = field;
  }
}

/** Parses `value` with `schema`, or throws a PayloadError naming `source` and the first bad field. */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || '(root)';
  throw new PayloadError(source, field, issue?.message ?? 'invalid', { cause: parsed.error });
}

/**
 * A sweep id already enqueued with another plan (enqueuing it again would silently change nothing), or
 * an extension whose trial ids the sweep has already.
 */
export class SweepConflictError extends Error {
  override readonly name = 'SweepConflictError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SWEEP_CONFLICT';
  readonly sweepId: string;

  constructor(
    sweepId: string,
    message = `sweep ${sweepId} was already enqueued with a different plan; give the new plan another sweep id`,
  ) {
    super(message);
    this.sweepId = sweepId;
  }
}

/**
 * The sweep was cancelled (`mtl cancel`): a trial of it stops (its checkpoint stays), and operations on
 * it are refused (retrying its failed trials). `detail` says which, e.g. `; stopped after epoch 3`.
 */
export class SweepCancelledError extends Error {
  override readonly name = 'SweepCancelledError';
  static readonly code = 'ERR_SWEEP_CANCELLED';
  /** Stable: match on it, never on the message. */
  readonly code = SweepCancelledError.code;
  readonly sweepId: string;

  constructor(sweepId: string, detail = '') {
    super(`sweep ${sweepId} was cancelled${detail}`);
    this.sweepId = sweepId;
  }
}

/** Errors whose failure reasons readers recognise by code (see `failureCode`). */
const RECOGNISED = [SweepCancelledError] as const;

/**
 * A trial's failure as it travels through BullMQ, whose failed jobs keep only a string:
 * `<ErrorName>: <message>`. Read it back with `failureCode`.
 */
export function failureReason(error: Error): string {
  return `${error.name}: ${error.message}`;
}

/** The stable code of the error a failure reason (from `failureReason`) names, when it is one readers act on. */
export function failureCode(reason: string | undefined): string | undefined {
  const name = reason === undefined ? undefined : /^(\w+):/.exec(reason)?.[1];
  return RECOGNISED.find((kind) => kind.name === name)?.code;
}
