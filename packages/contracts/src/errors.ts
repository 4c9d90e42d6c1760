import type { z } from 'zod';

/** A job payload, sweep plan or environment that does not match its schema; names the field at fault. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
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

/** A sweep id already enqueued with another plan: enqueuing it again would silently change nothing. */
export class SweepConflictError extends Error {
  override readonly name = 'SweepConflictError';
  readonly sweepId: string;

  constructor(sweepId: string) {
    super(`sweep ${sweepId} was already enqueued with a different plan; give the new plan another sweep id`);
    this.sweepId = sweepId;
  }
}

/** An operation a cancelled sweep refuses (e.g. retrying its failed trials). */
export class SweepCancelledError extends Error {
  override readonly name = 'SweepCancelledError';
  readonly sweepId: string;

  constructor(sweepId: string) {
    super(`sweep ${sweepId} was cancelled; enqueue its spec under a new name to run it again`);
    this.sweepId = sweepId;
  }
}
