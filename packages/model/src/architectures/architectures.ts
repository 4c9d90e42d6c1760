import type * as tf from '@tensorflow/tfjs-layers';
import { ARCHITECTURE_NAMES, type ArchitectureName, isArchitectureName } from './architecture-names.js';
import {
  type ArchitectureOptions,
  type ArchitectureOptionsInput,
  architectureOptionsSchema,
} from './architecture-options.js';
import { buildBranchesSeed } from './branches-seed.js';
import { UnknownArchitectureError } from './errors.js';
import { buildMtlSeed } from './mtl-seed.js';

/** The study's architectures by name; each builds a fresh, untrained model. */
export const ARCHITECTURES: Record<ArchitectureName, (options: ArchitectureOptions) => tf.LayersModel> = {
  'mtl-seed': buildMtlSeed,
  'branches-seed': buildBranchesSeed,
};

/**
 * Builds architecture `arch` (validating `options`). Input shape: [batch, S, S, 3] float in [0, 1];
 * outputs, in order: `position` [batch, 2] (positions ÷ S, linear), `shape` [batch, 3] and `colour`
 * [batch, 6] softmax. Throws `UnknownArchitectureError`, `ArchitectureSizeError` or a zod error.
 */
export function buildModel(arch: string, options: ArchitectureOptionsInput = {}): tf.LayersModel {
  if (!isArchitectureName(arch)) throw new UnknownArchitectureError(arch, ARCHITECTURE_NAMES);
  return ARCHITECTURES[arch](architectureOptionsSchema.parse(options));
}

/** Every weight of the model, trainable or not (batch-norm moving statistics count, as in Keras). */
export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}
