import type { LayersModel } from '@tensorflow/tfjs-layers';
import { deriveSeed } from './seeds.js';

/**
 * Gives every Dropout layer of the model a fresh seed for the next step. TF.js dropout with a fixed seed
 * repeats the same mask on every call, and without one draws from Math.random, so neither trains well
 * and reproducibly; a seed per (run, epoch, step) gives new masks that a resumed run draws again.
 */
export function seedDropout(model: LayersModel, stepSeed: number): void {
  model.layers.forEach((layer, index) => {
    if (layer.getClassName() === 'Dropout') {
      // No public API sets a Dropout's seed after construction: tfjs-layers keeps it in a field that
      // its typings mark private and reads on every call. library-internals.test.ts fails if that changes.
      Reflect.set(layer, 'seed', deriveSeed(stepSeed, index));
    }
  });
}
