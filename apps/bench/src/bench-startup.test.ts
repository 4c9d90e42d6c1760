import { ExitCode } from '@repo/cli/errors';
import { describe, expect, it, vi } from 'vitest';
import { runBench } from './run-bench.js';

describe('mtl-bench startup', () => {
  it('prints a median per command beside the bare-node floor, and the load', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runBench(['startup', '--runs', '1'])).toBe(ExitCode.ok);
    const text = out.mock.calls.join('');
    for (const label of ['node -e 0 (floor)', 'mtl --help', 'mtl ls', 'mtl status', 'mtl sweep --dry-run'])
      expect(text).toMatch(
        new RegExp(`^${label.replace(/[-()]/g, '\\$&')} +\\d+ ms median of 1 \\(\\d+–\\d+ ms\\)$`, 'm'),
      );
    expect(text).toMatch(/^load average [\d.]+ when it started$/m);
  });
});
