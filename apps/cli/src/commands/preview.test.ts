import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-preview-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const generate = ['generate', '--samples', '30', '--seed', '9', '--shard-size', '4', '--test', '0'];
  expect(await run([...generate, '--out', join(dir, 'ds')])).toBe(ExitCode.ok);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('mtl preview', () => {
  it('writes a PNG grid of the requested number of samples, across shards', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const out = join(dir, 'out', 'grid.png');
    expect(
      await run(['preview', '--data', join(dir, 'ds'), '--out', out, '--count', '6', '--columns', '3']),
    ).toBe(ExitCode.ok);
    const png = await readFile(out);
    // PNG signature, then the IHDR chunk: width and height as big-endian uint32 at bytes 16 and 20.
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(8 + 3 * (256 + 8));
    expect(png.readUInt32BE(20)).toBe(8 + 2 * (256 + 8 + 40 + 8));
  });

  it('fails naming the manifest when --data is not a dataset', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await run(['preview', '--data', dir, '--out', join(dir, 'x.png')])).toBe(ExitCode.failure);
    expect(err.mock.calls.join('')).toContain(join(dir, 'manifest.json'));
  });

  it('rejects an unknown split', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(
      await run(['preview', '--data', join(dir, 'ds'), '--out', join(dir, 'x.png'), '--split', 'dev']),
    ).toBe(ExitCode.usage);
  });
});
