import { join } from 'node:path';
import { fileExists } from '@repo/contracts';
import type { SplitName } from '@repo/dataset';

// Mirrors @repo/dataset's shard file naming (`train-00003-images.npy`), which it does not export yet.
const ARRAYS = ['images', 'positions', 'shapes', 'colours'] as const;

/** The files one shard writes beside the manifest. */
export function shardFiles(dir: string, split: SplitName, shardIndex: number): string[] {
  const stem = `${split}-${String(shardIndex).padStart(5, '0')}`;
  return ARRAYS.map((array) => join(dir, `${stem}-${array}.npy`));
}

/**
 * True when every file of the shard exists. The dataset writer renames each file into place only
 * once it is complete, so a file that exists was written whole: the shard need not be written again.
 */
export async function shardWritten(dir: string, split: SplitName, shardIndex: number): Promise<boolean> {
  const found = await Promise.all(shardFiles(dir, split, shardIndex).map(fileExists));
  return found.every(Boolean);
}
