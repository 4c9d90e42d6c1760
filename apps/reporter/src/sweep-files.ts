import { constants, type ReadStream } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

/**
 * The file types served from a sweep's directory: what the pages link to and a user may want to
 * read (records, logs, images) or download (model weights). Nothing a browser could run (html, svg,
 * xml, js…) is served at all.
 */
const SERVED_TYPES: Readonly<Record<string, { type: string; download?: true }>> = {
  '.json': { type: 'application/json; charset=utf-8' },
  '.txt': { type: 'text/plain; charset=utf-8' },
  '.png': { type: 'image/png' },
  '.npy': { type: 'application/octet-stream', download: true },
  '.bin': { type: 'application/octet-stream', download: true },
};

/** The served extensions, for messages. */
export const SERVED_EXTENSIONS = Object.keys(SERVED_TYPES).join(', ');

/** A sweep file that may be sent: its content type, size and an open stream. */
export interface SweepFile {
  type: string;
  size: number;
  /** Send as an attachment, never shown inline. */
  download: boolean;
  stream: ReadStream;
}

/** Why a path under a sweep's directory is not served (each answers 404, none says more). */
export type Refusal = 'bad-path' | 'type' | 'missing' | 'outside' | 'not-a-file';

/**
 * Opens `relative` (slash-separated, already URL-decoded) inside `sweepDir` if it is a regular file
 * of a served type whose real path, symlinks resolved, stays inside the sweep directory's real
 * path. It is opened without following a final symlink, so a link swapped in after the check is
 * not followed either.
 */
export async function openSweepFile(sweepDir: string, relative: string): Promise<SweepFile | Refusal> {
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '' || segment.startsWith('.') || /[\\\0]/.test(segment)))
    return 'bad-path';
  const served = SERVED_TYPES[extname(relative).toLowerCase()];
  if (!served) return 'type';
  let root: string;
  let real: string;
  try {
    root = await realpath(sweepDir);
    real = await realpath(join(sweepDir, ...segments));
  } catch {
    return 'missing';
  }
  if (!real.startsWith(root + sep)) return 'outside';
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking: opening a FIFO would otherwise wait for a writer.
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return 'missing';
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    return 'not-a-file';
  }
  return {
    type: served.type,
    size: stat.size,
    download: served.download ?? false,
    // The handle's own stream closes the handle at its end (a stream over its bare fd would leave the
    // handle to be closed again when collected: EBADF).
    stream: handle.createReadStream(),
  };
}
