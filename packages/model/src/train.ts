import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainConfig } from './train-config.js';
import { runPhase, type TrainData, type TrainHooks, type TrainResult } from './training-loop.js';

/**
 * Trains every trainable weight of a three-head model (outputs position, shape, colour) with Adam on
 * the heads' losses (MAE on position, categorical cross-entropy on shape and colour) combined by
 * `config.lossWeighting` (static weights, uncertainty, DWA or GradNorm).
 * Batches come shuffled per epoch from the uint8 split and are normalised one at a time; early stopping
 * watches the validation loss and (by default) the best epoch's weights are put back at the end.
 */
export function train(
  model: LayersModel,
  data: TrainData,
  config: TrainConfig,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  return runPhase(
    model,
    data,
    {
      name: 'train',
      variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
      training: true,
      lossWeighting: config.lossWeighting,
      learningRate: config.learningRate,
      ...(config.reduceLrOnPlateau ? { reduceLrOnPlateau: config.reduceLrOnPlateau } : {}),
      batchSize: config.batchSize,
      epochs: config.epochs,
      earlyStopping: config.earlyStopping,
      seed: config.seed,
      taskConflict: config.taskConflict,
    },
    hooks,
  );
}
