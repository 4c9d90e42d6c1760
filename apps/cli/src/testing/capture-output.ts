import { vi } from 'vitest';

/** Collects what the CLI writes to stdout and stderr instead of printing it (undone by `vi.restoreAllMocks`). */
export function captureOutput(): { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  return { stdout, stderr };
}
