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
      // `seed` is private in the typings but read on every call; it is the only handle on the mask.
      Reflect.set(layer, 'seed', deriveSeed(stepSeed, index));
    }
  });
}
