/** The backend asked for by name cannot be loaded or initialised here. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_BACKEND_UNAVAILABLE';
  readonly backend: string;

  constructor(backend: string, reason: string, options?: ErrorOptions) {
    super(`backend "${backend}" is unavailable: ${reason}`, options);
    this.backend = backend;
  }
}
