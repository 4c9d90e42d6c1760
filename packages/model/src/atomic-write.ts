import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/**
 * Writes `chunks` under a temporary name beside `path`, flushes and renames it into place, so a process
 * killed mid-write leaves the previous file (or none), never a partial one.
 */
export async function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temp = `${path}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writev([...chunks]);
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}
