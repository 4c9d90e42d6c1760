/** One problem in a sweep spec: where it is (field path, and line when read from YAML) and what is wrong. */
export interface SweepSpecIssue {
  /** Dotted field path, e.g. `parameters.learningRate.min`; empty for the document itself. */
  path: string;
  message: string;
  /** 1-based line in the YAML file, when known. */
  line?: number;
}

/**
 * A sweep spec that cannot be run: malformed YAML or a field that does not validate. The message lists
 * every issue as `file:line: path: message`; `path` is the first issue's field path.
 */
export class SweepSpecError extends Error {
  override readonly name = 'SweepSpecError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SWEEP_SPEC';
  readonly path: string;
  readonly file: string | undefined;
  readonly issues: readonly SweepSpecIssue[];

  constructor(issues: readonly SweepSpecIssue[], file?: string) {
    super(issues.map((issue) => formatIssue(issue, file)).join('\n'));
    this.issues = issues;
    this.path = issues[0]?.path ?? '';
    this.file = file;
  }
}

function formatIssue(issue: SweepSpecIssue, file: string | undefined): string {
  const where = [file, issue.line].filter((part) => part !== undefined).join(':');
  const field = issue.path === '' ? '' : `${issue.path}: `;
  return `${where === '' ? '' : `${where}: `}${field}${issue.message}`;
}

/** A `mtl sweep extend` that cannot grow the sweep; `field` names what is at fault (`seeds`, `spec.dataset`, …). */
export class SweepExtensionError extends Error {
  override readonly name = 'SweepExtensionError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SWEEP_EXTENSION';
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.field = field;
  }
}
