import { rename } from 'node:fs/promises';
import { readCheckpoint, type TrainCheckpoint, writeCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';

/** Where the checkpoint before the latest is kept while the latest is written: `<file>.prev`. */
export const previousCheckpoint = (file: string) => `${file}.prev`;

/**
 * Writes `checkpoint` to `file`, keeping the one it replaces as `<file>.prev`: the epoch before stays
 * to resume from should the latest fail to load. A write that fails (a full disk) puts the previous
 * one back under `file`; a process that dies mid-write leaves it as `<file>.prev`, which resuming reads.
 */
export async function writeCheckpointKeepingPrevious(
  file: string,
  checkpoint: TrainCheckpoint,
): Promise<void> {
  const kept = await rename(file, previousCheckpoint(file)).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      return false;
    },
  );
  try {
    await writeCheckpoint(file, checkpoint);
  } catch (error) {
    // The write left nothing (it goes whole or not at all): the previous checkpoint is the latest again.
    if (kept) await rename(previousCheckpoint(file), file).catch(() => {});
    throw error;
  }
}

/**
 * The newest checkpoint that loads: `file`, else `<file>.prev`; undefined when neither exists or
 * loads. One that fails to load is set aside as `<name>.damaged-<time>` (kept for a look, never read
 * again) and reported to `onSetAside`, so a damaged checkpoint costs at most its epochs instead of
 * failing every retry.
 */
export async function readLastGoodCheckpoint(
  file: string,
  onSetAside: (file: string, reason: string) => void = () => {},
): Promise<TrainCheckpoint | undefined> {
  for (const candidate of [file, previousCheckpoint(file)]) {
    try {
      const checkpoint = await readCheckpoint(candidate);
      if (checkpoint !== undefined) return checkpoint;
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      const aside = `${candidate}.damaged-${Date.now()}`;
      await rename(candidate, aside);
      onSetAside(aside, error.message);
    }
  }
  return undefined;
}
