import { ExitCode } from '@repo/cli/errors';
import { describe, expect, it, vi } from 'vitest';
import { runBench } from './run-bench.js';
import { findTorch } from './torch-train.js';

/** `train` on wasm at 96×96, batch 2: small enough for a test. */
const trainArgs = (steps: number, ...extra: string[]) => [
  'train',
  '--backend',
  'wasm',
  '--size',
  '96',
  '--batch',
  '2',
  '--steps',
  String(steps),
  ...extra,
];

describe('mtl-bench train', () => {
  it('prints the parameter count, the backend and the median images/s', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runBench(trainArgs(2, '--warmup', '1', '--no-torch'))).toBe(ExitCode.ok);
    const printed = out.mock.calls.join('');
    expect(printed).toMatch(/^mtl-seed: 191,747 params, backend wasm, 1 thread\n/);
    expect(printed).toMatch(/\n\d+\.\d images\/s \(median of 2 steps after 1 warm-up, batch 2, 96×96/);
    expect(printed).toMatch(/\n\d+\.\d images per CPU second of this process .*load average \d+\.\d\)\n$/);
    expect(
      err.mock.calls.join('').match(/step \d: [\d.]+ images\/s \([\d.]+ per CPU second\)/g),
    ).toHaveLength(2);
  });

  it("--params prints every architecture's parameters and the three single-task models against mtl-seed", async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runBench(['train', '--backend', 'wasm', '--params'])).toBe(ExitCode.ok);
    const printed = out.mock.calls.join('');
    const counts = Object.fromEntries(
      [...printed.matchAll(/^([a-z-]+) +([\d,]+)$/gm)].map(([, arch, n]) => [
        arch,
        Number(n?.replace(/,/g, '')),
      ]),
    );
    expect(Object.keys(counts)).toEqual([
      'mtl-seed',
      'branches-seed',
      'stl-position',
      'stl-shape',
      'stl-colour',
    ]);
    expect(counts['mtl-seed']).toBe(191_747);
    expect(counts['branches-seed']).toBe(231_995);
    const single = (counts['stl-position'] ?? 0) + (counts['stl-shape'] ?? 0) + (counts['stl-colour'] ?? 0);
    expect(printed).toContain(
      `the three single-task models together: ${single.toLocaleString('en-US')} (${(single / 191_747).toFixed(2)}× mtl-seed's 191,747, ${(single - 191_747).toLocaleString('en-US')} more)`,
    );
    expect(single).toBeGreaterThan(191_747);
  });

  it('--width scales the architecture it times', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runBench(trainArgs(1, '--no-torch', '--width', '0.5'))).toBe(ExitCode.ok);
    const params = Number(
      /^mtl-seed ×0\.5: ([\d,]+) params/.exec(out.mock.calls.join(''))?.[1]?.replace(/,/g, ''),
    );
    expect(params).toBeGreaterThan(0);
    expect(params).toBeLessThan(191_747 / 2);
  });

  it('puts PyTorch beside wasm when a Python imports torch, and says why not when none does', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const argv = trainArgs(1, '--warmup', '0');
    expect(await runBench([...argv, '--python', '/nonexistent/python3'])).toBe(ExitCode.ok);
    expect(err.mock.calls.join('')).toContain(
      'PyTorch side-by-side skipped: no Python with torch (tried /nonexistent/python3;',
    );
    expect(out.mock.calls.join('')).toMatch(/^mtl-seed: 191,747 params, backend wasm, 1 thread\n/);

    out.mockClear();
    const torch = await findTorch();
    expect(await runBench([...argv, '--rounds', '1'])).toBe(ExitCode.ok);
    const printed = out.mock.calls.join('');
    if ('missing' in torch) {
      // No torch here (Debian: python3-torch): the plain wasm figure, as with --no-torch.
      expect(printed).toMatch(/^mtl-seed: 191,747 params, backend wasm, 1 thread\n/);
      return;
    }
    expect(printed).toMatch(
      new RegExp(
        `^mtl-seed: 191,747 params, backend wasm, pytorch ${torch.version.replace(/[.+]/g, '\\$&')} beside it`,
      ),
    );
    expect(printed).toMatch(
      /\n {2}1 thread\(s\): wasm [\d.]+ images\/s; pytorch \S+ [\d.]+ images\/s; wasm ÷ pytorch [\d.]+\n/,
    );
  }, 120_000);

  it('rejects an unknown architecture with a usage error', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await runBench(['train', '--arch', 'resnet'])).toBe(ExitCode.usage);
  });
});
