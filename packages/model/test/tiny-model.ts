import { COLOURS, generateSplit, SHAPES, type SplitData } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { train } from '../src/train.js';
import { type TrainConfigInput, trainConfigSchema } from '../src/train-config.js';

/** Unit tests run on the deterministic cpu backend. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * A small stand-in for the study's architectures with the same contract: shared conv + batch-norm
 * backbone, three named outputs `position` (dense 2), `shape` (softmax 3), `colour` (softmax 6).
 */
export function tinyModel(imageSize = 16, seed = 1): tfl.LayersModel {
  let s = seed;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  const input = tfl.input({ shape: [imageSize, imageSize, 3] });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, kernelInitializer: init() }).apply(input);
  x = tfl.layers.batchNormalization().apply(x);
  x = tfl.layers.activation({ activation: 'relu' }).apply(x);
  const shared = tfl.layers.maxPooling2d({ poolSize: 4 }).apply(x) as tfl.SymbolicTensor;
  let p = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() })
    .apply(shared);
  p = tfl.layers.flatten().apply(p);
  p = tfl.layers.dense({ units: 8, activation: 'relu', kernelInitializer: init() }).apply(p);
  const position = tfl.layers.dense({ units: 2, name: 'position', kernelInitializer: init() }).apply(p);
  const flat = tfl.layers.flatten().apply(shared);
  const head = (name: string, units: number) => {
    const h = tfl.layers.dropout({ rate: 0.5 }).apply(flat);
    return tfl.layers
      .dense({ units, activation: 'softmax', name, kernelInitializer: init() })
      .apply(h) as tfl.SymbolicTensor;
  };
  return tfl.model({
    inputs: input,
    outputs: [position as tfl.SymbolicTensor, head('shape', SHAPES.length), head('colour', COLOURS.length)],
  });
}

/** Small deterministic splits from the real generator. */
export function tinyData(
  imageSize = 16,
  samples = 40,
): { train: SplitData; val: SplitData; test: SplitData } {
  const spec = { imageSize, samples, valFraction: 0.25, test: 8, seed: 7, shardSize: 500 };
  return {
    train: generateSplit(spec, 'train'),
    val: generateSplit(spec, 'val'),
    test: generateSplit(spec, 'test'),
  };
}

export function tinyConfig(overrides: TrainConfigInput = {}) {
  return trainConfigSchema.parse({ batchSize: 8, epochs: 3, seed: 3, ...overrides });
}

/** Every weight of the model as plain arrays (for bit-exact comparisons). */
export function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

/**
 * Trains `model` with its checkpoint in `file` and aborts once `epoch` has ended, as a kill then
 * would; resolves with what `train` rejected with (a resume test expects TrainingAbortedError).
 */
export async function trainUntilKilled(
  model: tfl.LayersModel,
  data: Parameters<typeof train>[1],
  config: Parameters<typeof train>[2],
  file: string,
  epoch: number,
): Promise<unknown> {
  const controller = new AbortController();
  const run = train(model, data, config, {
    checkpointFile: file,
    signal: controller.signal,
    onEpoch: (entry) => {
      if (entry.epoch === epoch) controller.abort();
    },
  });
  return run.then(
    () => undefined,
    (error: unknown) => error,
  );
}
