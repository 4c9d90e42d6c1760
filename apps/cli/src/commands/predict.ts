import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { COLOURS, SHAPES } from '@repo/dataset';
import { initBackend, loadModel, type Prediction, predict } from '@repo/model';
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
        for (const [i, file] of images.entries()) process.stdout.write(describe(file, out, i));
      } finally {
        model.dispose();
      }
    });
}

/**
 * What the model says about image `i`: a line of its answers, then each classification head's
 * probabilities. Only the heads the model has (a single-task baseline prints its one head).
 */
function describe(file: string, out: Prediction, i: number): string {
  const heads = [
    { name: 'shape', labels: SHAPES, probs: out.shapeProbs, picked: out.shapes },
    { name: 'colour', labels: COLOURS, probs: out.colourProbs, picked: out.colours },
  ].flatMap(({ name, labels, probs, picked }) => {
    if (probs === undefined || picked === undefined) return [];
    const own = probs.subarray(i * labels.length, (i + 1) * labels.length);
    const label = picked[i]!;
    return [{ name, answer: `${labels[label]} (${pct(own[label])})`, detail: probabilities(labels, own) }];
  });
  const { positions } = out;
  const answers = [
    ...heads.map((head) => head.answer),
    ...(positions
      ? [`position (${positions[2 * i]!.toFixed(1)}, ${positions[2 * i + 1]!.toFixed(1)}) px`]
      : []),
  ];
  return (
    `${file}: ${answers.join(', ')}\n` +
    heads.map((head) => `  ${`${head.name}:`.padEnd(7)} ${head.detail}\n`).join('')
  );
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
