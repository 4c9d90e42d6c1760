import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileWhole } from '@repo/dataset';

/**
 * The files of one trial (`sweeps/<sweep>/trials/<trial>/`):
 *
 *     checkpoint/{train,fine-tune}.ckpt   epoch checkpoints while it trains (removed once recorded)
 *     model/{model.json,weights.bin}      the trained model (TF.js layers format)
 *     history.json                        per-epoch losses and metrics of each phase
 *     confusion.json                      test-split confusion matrices (shape, colour)
 *     predictions.json                    first 12 test samples' predictions, every position error
 *     trial.json                          a sweep trial's record as it ended (the trainer's)
 *     run.json                            the RunRecord, written last: it marks the trial complete
 *
 * Both the trainer and `mtl train` lay a trial out so (`mtl train` adds confusion.txt).
 */
export class TrialDir {
  constructor(readonly dir: string) {}

  get trainCheckpoint(): string {
    return join(this.dir, 'checkpoint', 'train.ckpt');
  }

  get fineTuneCheckpoint(): string {
    return join(this.dir, 'checkpoint', 'fine-tune.ckpt');
  }

  get modelDir(): string {
    return join(this.dir, 'model');
  }

  get runFile(): string {
    return join(this.dir, 'run.json');
  }

  /** Whether the trial is recorded: run.json, written last, exists. */
  async recorded(): Promise<boolean> {
    return access(this.runFile).then(
      () => true,
      () => false,
    );
  }

  /** Ensures the directory exists (with its checkpoint folder). */
  async create(): Promise<void> {
    await mkdir(dirname(this.trainCheckpoint), { recursive: true });
  }

  /**
   * Saves the model through `save(dir)` into a fresh folder, then swaps it in for `model/`, so a
   * reader never sees a model half written (a retry after a crash replaces the leftover).
   */
  async writeModel(save: (dir: string) => Promise<void>): Promise<void> {
    const staging = join(this.dir, `.model-${randomUUID()}`);
    try {
      await save(staging);
    } catch (error) {
      // A save that failed (a full disk) leaves no half-written staging folder behind.
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    await rm(this.modelDir, { recursive: true, force: true });
    await rename(staging, this.modelDir);
  }

  /** Writes a JSON file of the trial atomically: a reader sees the old file or the new one, never half. */
  async writeJson(name: string, value: unknown): Promise<void> {
    await writeFileWhole(join(this.dir, name), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Removes the checkpoints once the trial is recorded: the model and run.json supersede them. */
  async dropCheckpoints(): Promise<void> {
    await rm(dirname(this.trainCheckpoint), { recursive: true, force: true });
  }
}
