import { ExitCode } from '@repo/cli/errors';
import { describe, expect, it, vi } from 'vitest';
import { runBench } from './run-bench.js';

describe('mtl-bench aggregate', () => {
  it('prints the median time to validate + aggregate synthetic run records', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runBench(['aggregate', '--runs', '60', '--repeats', '3'])).toBe(ExitCode.ok);
    // 60 runs, 5 seeds each → 12 configurations; runs 19, 39, 59 failed, 49 running
    expect(out.mock.calls.join('')).toMatch(
      /^\d+\.\d ms to validate \+ aggregate 60 run records \(median of 3 repeats; 12 configurations, 56 completed, 3 failed, 1 running;/,
    );
    expect(err.mock.calls.join('').match(/repeat \d: [\d.]+ ms/g)).toHaveLength(3);
  });
});
