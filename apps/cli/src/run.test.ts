import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from './errors.js';
import { run } from './run.js';

describe('mtl', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exits 0 on --help and lists its commands', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await run(['--help'])).toBe(ExitCode.ok);
    expect(out.mock.calls.join('')).toContain('sweep');
    expect(out.mock.calls.join('')).not.toContain('bench');
  });

  it('exits 2 with a message on an unknown command', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await run(['frobnicate'])).toBe(ExitCode.usage);
    expect(err.mock.calls.join('')).toContain("unknown command 'frobnicate'");
  });
});
