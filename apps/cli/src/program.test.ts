import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from './errors.js';
import { cliVersion } from './program.js';
import { run } from './run.js';

describe('mtl --version', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(['--version', '-V'])('%s prints the package version and exits 0', async (flag) => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await run([flag])).toBe(ExitCode.ok);
    expect(out.mock.calls.join('')).toBe(`${cliVersion()}\n`);
    expect(cliVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('loads the verb it runs, and `mtl help <verb>` shows that verb in full', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await run(['help', 'ls'])).toBe(ExitCode.ok);
    expect(out.mock.calls.join('')).toContain('--limit <n>');
  });
});
