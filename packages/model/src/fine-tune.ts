import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TrialConfigError } from './errors.js';
import { HEAD_NAMES } from './heads.js';
import { modelHeads } from './multi-task-loss.js';
import { fineTuneConfigSchema, type TrainConfig } from './train-config.js';
import { runPhase, type TrainData, type TrainHooks, type TrainResult } from './training-loop.js';

type Layer = LayersModel['layers'][number];

/**
 * The layers only the `position` output depends on: the position head, without the shared backbone
 * and without anything the `shape` or `colour` outputs use. In model order.
 */
export function positionHeadLayers(model: LayersModel): Layer[] {
  const feeding = (name: string) => {
    const seen = new Set<Layer>();
    const stack = [model.getLayer(name)];
    while (stack.length > 0) {
      const layer = stack.pop()!;
      if (seen.has(layer)) continue;
      seen.add(layer);
      for (const node of layer.inboundNodes) stack.push(...node.inboundLayers);
    }
    return seen;
  };
  const position = feeding('position');
  const shared = new Set([...feeding('shape'), ...feeding('colour')]);
  return model.layers.filter((layer) => position.has(layer) && !shared.has(layer));
}

/**
 * The study's fine-tuning: the shared backbone and both classifier heads stay frozen (batch-norm in
 * inference mode, so its statistics do not move either) and only the position head is retrained on the
 * position loss, at `config.fineTune.learningRate`, on the training split; the validation split drives
 * early stopping. The test split must never be passed here.
 */
export function fineTune(
  model: LayersModel,
  data: TrainData,
  config: TrainConfig,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const heads = modelHeads(model);
  // Fine-tuning repairs the position head after training shared with the classifiers; a model with
  // fewer heads has either no position head or one already trained on the position loss alone.
  if (heads.length < HEAD_NAMES.length) {
    throw new TrialConfigError(
      'fineTune',
      `${model.name} has only ${heads.join(', ')}: fine-tuning retrains the position head of a three-head model; leave fineTune out`,
    );
  }
  const options = config.fineTune ?? fineTuneConfigSchema.parse({});
  const variables = positionHeadLayers(model).flatMap((layer) =>
    layer.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  if (variables.length === 0) throw new Error('the model has no trainable position head to fine-tune');
  return runPhase(
    model,
    data,
    {
      name: 'fine-tune',
      variables,
      training: false,
      lossWeighting: { kind: 'static', weights: { position: 1, shape: 0, colour: 0 } },
      learningRate: options.learningRate,
      ...(options.reduceLrOnPlateau ? { reduceLrOnPlateau: options.reduceLrOnPlateau } : {}),
      batchSize: options.batchSize ?? config.batchSize,
      epochs: options.epochs,
      earlyStopping: options.earlyStopping,
      seed: config.seed,
      // The backbone is frozen while fine-tuning: its conflict does not move.
      taskConflict: false,
    },
    hooks,
  );
}
