/** The backend asked for by name cannot be loaded or initialised here. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly backend: string;

  constructor(backend: string, reason: string, options?: ErrorOptions) {
    super(`backend "${backend}" is unavailable: ${reason}`, options);
    this.backend = backend;
  }
}
