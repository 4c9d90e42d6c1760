import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { COLOURS, SHAPES } from '@repo/dataset';
import { initBackend, loadModel, predict } from '@repo/model';
import { Command } from 'commander';
import { PNG } from 'pngjs';
import { readEnv } from '../env.js';
import { UsageError } from '../errors.js';
import { readPngSize } from './png-header.js';

interface PredictOptions {
  model: string;
}

/** `mtl predict`: what a saved model sees in PNG images (shape, colour, position, probabilities). */
export function predictCommand(): Command {
  return new Command('predict')
    .requiredOption('--model <dir>', 'saved model directory (model.json + weights.bin, e.g. RUN_DIR/model)')
    .argument('<images...>', 'RGB(A) PNG files of the size the model takes')
    .action(async (images: string[], options: PredictOptions) => {
      await initBackend(readEnv().MTL_BACKEND);
      const model = await loadModel(resolve(options.model));
      try {
        const size = model.inputs[0]?.shape[1] as number;
        const pixels = size * size * 3;
        const data = new Uint8Array(images.length * pixels);
        for (const [i, file] of images.entries()) data.set(await readRgb(file, size), i * pixels);
        const out = predict(model, { imageSize: size, count: images.length, images: data });
        for (const [i, file] of images.entries()) {
          const shapeProbs = out.shapeProbs.subarray(i * SHAPES.length, (i + 1) * SHAPES.length);
          const colourProbs = out.colourProbs.subarray(i * COLOURS.length, (i + 1) * COLOURS.length);
          const shape = out.shapes[i]!;
          const colour = out.colours[i]!;
          process.stdout.write(
            `${file}: ${SHAPES[shape]} (${pct(shapeProbs[shape])}), ${COLOURS[colour]} (${pct(colourProbs[colour])}), ` +
              `position (${out.positions[2 * i]!.toFixed(1)}, ${out.positions[2 * i + 1]!.toFixed(1)}) px\n` +
              `  shape:  ${probabilities(SHAPES, shapeProbs)}\n` +
              `  colour: ${probabilities(COLOURS, colourProbs)}\n`,
          );
        }
      } finally {
        model.dispose();
      }
    });
}

/**
 * The PNG's pixels as uint8 RGB (alpha dropped). Shape: [size, size, 3]. Its size is read from its
 * header first: an image of another size is refused before anything is decoded (a 16,000×16,000
 * one took 30 s and 2.6 GB to decode only to be refused).
 */
async function readRgb(file: string, size: number): Promise<Uint8Array> {
  let header: Awaited<ReturnType<typeof readPngSize>>;
  try {
    header = await readPngSize(resolve(file));
  } catch (error) {
    throw new UsageError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if ('notPng' in header) throw new UsageError(`${file}: not a PNG (${header.notPng})`);
  if (header.width !== size || header.height !== size) {
    throw new UsageError(`${file}: is ${header.width}×${header.height}, the model takes ${size}×${size}`);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(await readFile(resolve(file)));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`${file}: cannot read as PNG (${reason})`);
  }
  if (png.width !== size || png.height !== size) {
    throw new UsageError(`${file}: is ${png.width}×${png.height}, the model takes ${size}×${size}`);
  }
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    rgb[3 * p] = png.data[4 * p]!;
    rgb[3 * p + 1] = png.data[4 * p + 1]!;
    rgb[3 * p + 2] = png.data[4 * p + 2]!;
  }
  return rgb;
}

function probabilities(labels: readonly string[], probs: Float32Array): string {
  return labels.map((label, i) => `${label} ${(probs[i] ?? 0).toFixed(4)}`).join('  ');
}

function pct(p: number | undefined): string {
  return `${((p ?? 0) * 100).toFixed(1)} %`;
}
