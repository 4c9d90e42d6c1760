import { ExitCode } from '@repo/cli/errors';
import { describe, expect, it, vi } from 'vitest';
import { runBench } from './run-bench.js';

describe('mtl-bench generate', () => {
  it('prints the median images/s of its runs', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runBench(['generate', '--samples', '40', '--runs', '3', '--size', '32'])).toBe(ExitCode.ok);
    expect(out.mock.calls.join('')).toMatch(/^\d+ images\/s \(median of 3 runs of 40 32×32 images/);
    expect(err.mock.calls.join('').match(/run \d: \d+ images\/s/g)).toHaveLength(3);
  });
});
