import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';

/**
 * A file of the monorepo, found by walking up from this module (the same in a checkout and in the
 * Docker image, which holds the whole repository).
 */
export function findInRepo(
  relative: string,
  hint: string,
  from = dirname(fileURLToPath(import.meta.url)),
): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, relative);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new UsageError(`cannot find ${relative} above ${from}: ${hint}`);
  }
}
