/** `buildModel` was given a name that is not in `ARCHITECTURES`. */
export class UnknownArchitectureError extends Error {
  override readonly name = 'UnknownArchitectureError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_UNKNOWN_ARCHITECTURE';
  readonly architecture: string;

  constructor(architecture: string, known: readonly string[]) {
    super(`unknown architecture "${architecture}" (known: ${known.join(', ')})`);
    this.architecture = architecture;
  }
}

/** The options make a layer's input smaller than its kernel or pool (image too small for the architecture). */
export class ArchitectureSizeError extends Error {
  override readonly name = 'ArchitectureSizeError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_ARCHITECTURE_SIZE';
  readonly layer: string;

  constructor(architecture: string, layer: string, imageSize: number) {
    super(
      `${architecture}: layer "${layer}" has no output at imageSize ${imageSize} (the image is too small)`,
    );
    this.layer = layer;
  }
}
