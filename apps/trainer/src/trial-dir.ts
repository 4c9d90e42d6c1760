import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type TrialSummary, trialSummarySchema } from '@repo/contracts';

/**
 * The files of one trial (`sweeps/<sweep>/trials/<trial>/`):
 *
 *     checkpoint/{train,fine-tune}.ckpt   epoch checkpoints while it trains (removed once recorded)
 *     model/{model.json,weights.bin}      the trained model (TF.js layers format)
 *     history.json                        per-epoch losses and metrics of each phase
 *     confusion.json                      test-split confusion matrices (shape, colour)
 *     predictions.json                    first 12 test samples' predictions, every position error
 *     summary.json                        the job's return value
 *     run.json                            the RunRecord, written last: it marks the trial complete
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

  /** The summary of a trial already recorded (run.json present), else undefined. */
  async recorded(): Promise<TrialSummary | undefined> {
    const exists = await readFile(this.runFile).then(
      () => true,
      () => false,
    );
    if (!exists) return undefined;
    const text = await readFile(join(this.dir, 'summary.json'), 'utf8');
    return trialSummarySchema.parse(JSON.parse(text));
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
    await save(staging);
    await rm(this.modelDir, { recursive: true, force: true });
    await rename(staging, this.modelDir);
  }

  /** Writes a JSON file of the trial atomically (temporary file, then rename). */
  async writeJson(name: string, value: unknown): Promise<void> {
    const file = join(this.dir, name);
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
    await rename(temporary, file);
  }

  /** Removes the checkpoints once the trial is recorded: the model and run.json supersede them. */
  async dropCheckpoints(): Promise<void> {
    await rm(dirname(this.trainCheckpoint), { recursive: true, force: true });
  }
}
