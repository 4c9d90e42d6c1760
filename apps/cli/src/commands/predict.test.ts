import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { COLOURS, openDataset, SHAPES } from '@repo/dataset';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

let dir: string;
let stdout: string[];
let stderr: string[];

/** A small, fast trial: mtl-seed at a quarter of its width, two epochs. */
const trainArgs = (out: string, ...extra: string[]) => [
  'train',
  ...['--data', join(dir, 'ds'), '--out', out, '--width', '0.25', '--epochs', '2', '--batch', '8'],
  ...extra,
];

function capture() {
  ({ stdout, stderr } = captureOutput());
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-predict-cli-'));
  capture();
  const generate = ['generate', '--samples', '20', '--seed', '4', '--test', '6'];
  expect(await run([...generate, '--out', join(dir, 'ds')])).toBe(ExitCode.ok);
  expect(await run(trainArgs(join(dir, 'run'), '--epochs', '1'))).toBe(ExitCode.ok);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('mtl predict', () => {
  it('prints shape, colour, pixel position and probabilities for PNG images', async () => {
    capture();
    const test = await (await openDataset(join(dir, 'ds'))).readSplit('test');
    const size = test.imageSize;
    const files: string[] = [];
    for (const i of [0, 1]) {
      const png = new PNG({ width: size, height: size });
      for (let p = 0; p < size * size; p++) {
        for (let c = 0; c < 3; c++) png.data[4 * p + c] = test.images[(i * size * size + p) * 3 + c]!;
        png.data[4 * p + 3] = 255;
      }
      files.push(join(dir, `sample-${i}.png`));
      await writeFile(files.at(-1)!, PNG.sync.write(png));
    }
    expect(await run(['predict', '--model', join(dir, 'run', 'model'), ...files])).toBe(ExitCode.ok);
    const text = stdout.join('');
    const shapes = SHAPES.join('|');
    const colours = COLOURS.join('|');
    const line = new RegExp(
      `sample-0\\.png: (${shapes}) \\([\\d.]+ %\\), (${colours}) \\([\\d.]+ %\\), position \\(-?[\\d.]+, -?[\\d.]+\\) px`,
    );
    expect(text).toMatch(line);
    expect(text).toContain('sample-1.png: ');
    expect(text).toMatch(new RegExp(`shape: +${SHAPES.map((s) => `${s} [\\d.]+`).join(' +')}`));
  });

  it('prints only the head a single-task model has', async () => {
    capture();
    expect(await run(trainArgs(join(dir, 'stl'), '--arch', 'stl-position', '--epochs', '1'))).toBe(
      ExitCode.ok,
    );
    const test = await (await openDataset(join(dir, 'ds'))).readSplit('test');
    const size = test.imageSize;
    const png = new PNG({ width: size, height: size });
    for (let p = 0; p < size * size; p++) {
      for (let c = 0; c < 3; c++) png.data[4 * p + c] = test.images[p * 3 + c] ?? 0;
      png.data[4 * p + 3] = 255;
    }
    const file = join(dir, 'stl-sample.png');
    await writeFile(file, PNG.sync.write(png));
    capture();
    expect(await run(['predict', '--model', join(dir, 'stl', 'model'), file])).toBe(ExitCode.ok);
    expect(stdout.join('')).toMatch(/^[^\n]*stl-sample\.png: position \(-?[\d.]+, -?[\d.]+\) px\n$/);
  });

  it('names a PNG of the wrong size', async () => {
    capture();
    const file = join(dir, 'small.png');
    await writeFile(file, PNG.sync.write(new PNG({ width: 8, height: 8 })));
    expect(await run(['predict', '--model', join(dir, 'run', 'model'), file])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(`${file}: is 8×8, the model takes 128×128`);
  });

  it('refuses a huge PNG from its header, without decoding it', async () => {
    capture();
    // A crafted file: the PNG signature and an IHDR chunk saying 16,000×16,000 RGBA, then bytes that
    // are no image at all. Decoding it (as before) fails on the data; the header alone tells its size.
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(16_000, 0);
    ihdr.writeUInt32BE(16_000, 4);
    ihdr.set([8, 6, 0, 0, 0], 8);
    const chunk = Buffer.concat([Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR', 'latin1'), ihdr]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(chunk.subarray(4)), 0);
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const file = join(dir, 'huge.png');
    await writeFile(file, Buffer.concat([signature, chunk, crc, Buffer.alloc(1_000, 0xab)]));
    const started = performance.now();
    expect(await run(['predict', '--model', join(dir, 'run', 'model'), file])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(`${file}: is 16000×16000, the model takes 128×128`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a file that is not a PNG, naming it', async () => {
    capture();
    const file = join(dir, 'not.png');
    await writeFile(file, 'GIF89a, not a PNG');
    expect(await run(['predict', '--model', join(dir, 'run', 'model'), file])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(`${file}: not a PNG (no PNG signature)`);
  });
});
