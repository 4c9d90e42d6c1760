import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('names a PNG of the wrong size', async () => {
    capture();
    const file = join(dir, 'small.png');
    await writeFile(file, PNG.sync.write(new PNG({ width: 8, height: 8 })));
    expect(await run(['predict', '--model', join(dir, 'run', 'model'), file])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(`${file}: is 8×8, the model takes 128×128`);
  });
});
