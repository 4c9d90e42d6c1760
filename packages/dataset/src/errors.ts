/** Base of every dataset error: `file` names the file at fault so the message can point at it. */
export abstract class DatasetFileError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** A shard file exists but its bytes are not what the manifest promises (truncated, altered, wrong header). */
export class ShardCorruptedError extends DatasetFileError {
  override readonly name = 'ShardCorruptedError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SHARD_CORRUPTED';
}

/** A shard file the manifest (or the spec) names is not there. */
export class ShardMissingError extends DatasetFileError {
  override readonly name = 'ShardMissingError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SHARD_MISSING';
}

/** `manifest.json` is missing, unreadable, or does not describe a dataset this reader understands. */
export class ManifestError extends DatasetFileError {
  override readonly name = 'ManifestError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_MANIFEST';
}
