/** A mistake in what the user typed or wrote: exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_USAGE';
}

/** Exit codes of `mtl`, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** An error: Redis unreachable, an unknown sweep, a failed command. */
  failure: 1,
  /** Bad arguments, a bad sweep spec or environment. */
  usage: 2,
  /** `--wait` / `--watch`: the sweep ended failed (every trial failed, or its report did). */
  sweepFailed: 3,
  /** `--wait` / `--watch`: the sweep was cancelled. */
  sweepCancelled: 4,
  /** Ctrl-C (SIGINT) while waiting; the sweep goes on. */
  interrupted: 130,
} as const;

/** A command that ends with a non-zero exit code that is not an error, e.g. a sweep that failed. */
export class ExitStatus extends Error {
  override readonly name = 'ExitStatus';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_EXIT_STATUS';

  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
