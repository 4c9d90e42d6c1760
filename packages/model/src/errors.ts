/** Base of the model package's file errors: `file` names the file at fault. */
export abstract class ModelFileError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: ErrorOptions) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

/** A checkpoint that cannot be read, or that belongs to another model or configuration. */
export class CheckpointError extends ModelFileError {
  override readonly name = 'CheckpointError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_CHECKPOINT';
}

/** A saved model (`model.json` + weights) that is missing or unreadable. */
export class SavedModelError extends ModelFileError {
  override readonly name = 'SavedModelError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SAVED_MODEL';
}

/** Training stopped because its abort signal fired; the last epoch checkpoint (if any) is intact. */
export class TrainingAbortedError extends Error {
  override readonly name = 'TrainingAbortedError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_TRAINING_ABORTED';

  /** Epochs completed (and checkpointed, when a checkpoint file was given) before the abort. */
  readonly completedEpochs: number;

  constructor(completedEpochs: number) {
    super(`training aborted after ${completedEpochs} completed epoch(s)`);
    this.completedEpochs = completedEpochs;
  }
}

/** A trial configuration with an unknown key or a bad value; `field` names it (dotted path). */
export class TrialConfigError extends Error {
  override readonly name = 'TrialConfigError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_TRIAL_CONFIG';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
