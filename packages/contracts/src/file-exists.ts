import { access } from 'node:fs/promises';

/** Whether `file` exists (any kind of entry); an unreadable parent counts as absent. */
export async function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
