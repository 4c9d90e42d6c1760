import { randomUUID } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';

/** A file that could not be written whole: names it and why (a full disk: "no space left on device"). */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_FILE_WRITE';
  /** The operating system's code (`ENOSPC`, `EDQUOT`, …), when there is one. */
  readonly errno: string | undefined;

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`${file}: ${reasonOf(cause, errno)}`, { cause });
    this.errno = errno;
  }
}

function reasonOf(cause: unknown, errno: string | undefined): string {
  if (errno === 'ENOSPC') return 'no space left on device (ENOSPC)';
  if (errno === 'EDQUOT') return 'disk quota exceeded (EDQUOT)';
  return cause instanceof Error ? cause.message : String(cause);
}

/** The temporary a whole-file write goes through: `<file>.<pid>-<8 hex>.tmp`, in the file's directory. */
export function temporaryName(file: string): string {
  return `${file}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
}

/** The temporary names `temporaryName` makes: never a shard, a checkpoint or a record. */
export const TEMPORARY_NAME = /\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * Writes every byte of `chunks` at the handle's position: a short write (the kernel took fewer bytes
 * than asked, as it does when a disk fills up) is continued, and one that takes none is an error.
 */
export async function writeAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  for (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; ) {
      const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
      if (bytesWritten === 0) {
        throw Object.assign(new Error('no space left on device (a write took no bytes)'), { code: 'ENOSPC' });
      }
      offset += bytesWritten;
    }
  }
}

/**
 * Writes `data` to `file` whole or not at all: into a temporary beside it, every byte (short writes
 * continued), flushed to the disk (fsync), then renamed into place. On any failure the temporary is
 * removed, `file` keeps what it held, and a FileWriteError names `file` and the cause. (Written
 * here because write-file-atomic 7 issues one write(2) and ignores how many bytes it took: on a
 * filling disk it renamed a truncated file into place.)
 */
export async function writeFileWhole(file: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = temporaryName(file);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'w');
    await writeAll(handle, [bytes]);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true });
    throw new FileWriteError(file, error);
  }
}
