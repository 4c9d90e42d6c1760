import type * as tf from '@tensorflow/tfjs-layers';
import {
  ARCHITECTURE_NAMES,
  isArchitectureName,
  isSingleTaskArchitectureName,
  type ModelName,
  SINGLE_TASK_ARCHITECTURE_NAMES,
  SINGLE_TASK_ARCHITECTURES,
} from './architecture-names.js';
import {
  type ArchitectureOptions,
  type ArchitectureOptionsInput,
  architectureOptionsSchema,
} from './architecture-options.js';
import { buildBranchesSeed } from './branches-seed.js';
import { UnknownArchitectureError } from './errors.js';
import { buildMtlSeed, buildSingleTask } from './mtl-seed.js';

/** The study's architectures by name, single-task baselines included; each builds a fresh, untrained model. */
export const ARCHITECTURES: Record<ModelName, (options: ArchitectureOptions) => tf.LayersModel> = {
  'mtl-seed': buildMtlSeed,
  'branches-seed': buildBranchesSeed,
  ...(Object.fromEntries(
    SINGLE_TASK_ARCHITECTURE_NAMES.map((name) => [
      name,
      (options: ArchitectureOptions) => buildSingleTask(name, SINGLE_TASK_ARCHITECTURES[name], options),
    ]),
  ) as Record<keyof typeof SINGLE_TASK_ARCHITECTURES, (options: ArchitectureOptions) => tf.LayersModel>),
};

/**
 * Builds architecture `arch` (validating `options`). Input shape: [batch, S, S, 3] float in [0, 1];
 * outputs, in order: `position` [batch, 2] (positions ÷ S, linear), `shape` [batch, 3] and `colour`
 * [batch, 6] softmax; a single-task baseline (`stl-*`) has only its head's output. Throws
 * `UnknownArchitectureError`, `ArchitectureSizeError` or a zod error.
 */
export function buildModel(arch: string, options: ArchitectureOptionsInput = {}): tf.LayersModel {
  if (!isArchitectureName(arch) && !isSingleTaskArchitectureName(arch)) {
    throw new UnknownArchitectureError(arch, [...ARCHITECTURE_NAMES, ...SINGLE_TASK_ARCHITECTURE_NAMES]);
  }
  return ARCHITECTURES[arch](architectureOptionsSchema.parse(options));
}

/** Every weight of the model, trainable or not (batch-norm moving statistics count, as in Keras). */
export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}
