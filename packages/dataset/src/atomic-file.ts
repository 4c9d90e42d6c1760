import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { FileWriteError, temporaryName, writeAll } from './whole-file.js';

/**
 * A file written under a temporary name in the same directory and renamed into place on `commit`, so
 * a reader (or a worker that crashed half-way) never sees a partial file under the final name.
 * A shard is streamed chunk by chunk; whole files (the manifest) go through `writeFileWhole`.
 */
export class AtomicFile {
  readonly path: string;
  private readonly temp: string;
  private readonly handle: FileHandle;

  private constructor(path: string, temp: string, handle: FileHandle) {
    this.path = path;
    this.temp = temp;
    this.handle = handle;
  }

  static async open(path: string): Promise<AtomicFile> {
    const temp = temporaryName(path);
    return new AtomicFile(path, temp, await open(temp, 'w'));
  }

  /** Appends every byte of `chunks` (short writes continued); do not change them before the promise settles. */
  async write(...chunks: Uint8Array[]): Promise<void> {
    await writeAll(this.handle, chunks);
  }

  /** Flushes the file to the disk, closes it and moves it to its final name. */
  async commit(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temp, this.path);
  }

  /** Closes and deletes the temporary file (after a failure). */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
  }
}

/** Runs `fill` on a new AtomicFile at `path`, committing it if `fill` succeeds and deleting it if not. */
export async function withAtomicFile<T>(path: string, fill: (file: AtomicFile) => Promise<T>): Promise<T> {
  const file = await AtomicFile.open(path);
  try {
    const result = await fill(file);
    await file.commit();
    return result;
  } catch (error) {
    await file.abort();
    // A failed write names its file and cause (a full disk: "no space left on device").
    throw (error as NodeJS.ErrnoException).code !== undefined ? new FileWriteError(path, error) : error;
  }
}
