import { z } from 'zod';
import { DEFAULT_LOSS_WEIGHTING, lossWeightingSchema } from './loss-weighting-config.js';

const positiveNumber = z.number().positive().finite();

/** Early stopping on the validation loss (Keras `EarlyStopping(monitor='val_loss')`). */
export const earlyStoppingSchema = z.strictObject({
  /** Epochs without improvement before stopping. Default 6 (the study's). */
  patience: z.int().min(0).default(6),
  /** An epoch improves only if its validation loss is below the best minus this. Default 0. */
  minDelta: z.number().min(0).finite().default(0),
  /** Put back the weights of the best epoch when training ends. Default true. */
  restoreBestWeights: z.boolean().default(true),
});

/** Keras `ReduceLROnPlateau(monitor='val_loss')`: lower the learning rate when validation loss stalls. */
export const reduceLrOnPlateauSchema = z.strictObject({
  /** The rate is multiplied by this on a plateau. Default 0.5. */
  factor: z.number().gt(0).lt(1).default(0.5),
  /** Epochs without improvement before lowering the rate. Default 3. */
  patience: z.int().min(1).default(3),
  /** An epoch improves only if its validation loss is below the best minus this. Default 0. */
  minDelta: z.number().min(0).finite().default(0),
  /** The rate never goes below this. Default 1e-6. */
  minLearningRate: z.number().min(0).finite().default(1e-6),
});

/** Fine-tuning of the position head alone, after training (see `fineTune`). */
export const fineTuneConfigSchema = z.strictObject({
  /** Adam learning rate, lower than training's. Default 1e-4. */
  learningRate: positiveNumber.default(1e-4),
  /** Most epochs of fine-tuning. Default 30. */
  epochs: z.int().min(1).default(30),
  /** Batch size; default: the training batch size. */
  batchSize: z.int().min(1).optional(),
  /** Early stopping on the validation position loss. Default patience 6, min delta 0, restore best. */
  earlyStopping: earlyStoppingSchema.default({ patience: 6, minDelta: 0, restoreBestWeights: true }),
  /** Lower the rate when the validation position loss stalls; absent: a constant rate. */
  reduceLrOnPlateau: reduceLrOnPlateauSchema.optional(),
});

/** How to train one model. Validated once with `trainConfigSchema`; typed everywhere after. */
export const trainConfigSchema = z.strictObject({
  /** Adam learning rate. Default 1e-3 (Keras' default, the study's). */
  learningRate: positiveNumber.default(1e-3),
  /** How the heads' losses are weighted. Default static, 1 each (the study's). */
  lossWeighting: lossWeightingSchema.default(DEFAULT_LOSS_WEIGHTING),
  /** Images per gradient step. Default 16 (the study's). */
  batchSize: z.int().min(1).max(4096).default(16),
  /** Most epochs (early stopping usually ends sooner). Default 100. */
  epochs: z.int().min(1).max(10_000).default(100),
  /** Early stopping on the validation loss. Default patience 6, min delta 0, restore best weights. */
  earlyStopping: earlyStoppingSchema.default({ patience: 6, minDelta: 0, restoreBestWeights: true }),
  /** Seed of the per-epoch shuffle and of dropout masks (initialisation takes it through `buildModel`). Default 0. */
  seed: z.int().min(0).max(0xffff_ffff).default(0),
  /** Lower the rate when the validation loss stalls; absent: a constant rate (the study's). */
  reduceLrOnPlateau: reduceLrOnPlateauSchema.optional(),
  /**
   * After each epoch, the cosine similarity of each pair of heads' gradients on the shared backbone's
   * weights, on a fixed training batch (`HistoryEntry.taskConflict`). Default true.
   */
  taskConflict: z.boolean().default(true),
  /** Fine-tune the position head after training; absent: no fine-tuning. */
  fineTune: fineTuneConfigSchema.optional(),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type FineTuneConfig = z.output<typeof fineTuneConfigSchema>;
export type EarlyStoppingConfig = z.output<typeof earlyStoppingSchema>;
export type ReduceLrOnPlateauConfig = z.output<typeof reduceLrOnPlateauSchema>;
