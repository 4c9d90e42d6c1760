import * as tf from '@tensorflow/tfjs-layers';
import type { ArchitectureOptions } from './architecture-options.js';
import { LayerFactory } from './layer-factory.js';
import { MTL_SEED_BACKBONE as BACKBONE, MTL_SEED_POSITION_CONV } from './layouts.js';

/**
 * The study's hard-parameter-sharing network (191,747 parameters at 128×128): one backbone, three
 * small heads. Input shape: [batch, S, S, 3] in [0, 1]. Outputs: `position` [batch, 2] (÷ S),
 * `shape` [batch, 3] softmax, `colour` [batch, 6] softmax.
 */
export function buildMtlSeed(options: ArchitectureOptions): tf.LayersModel {
  const f = new LayerFactory('mtl-seed', options);
  const input = tf.input({ name: 'image', shape: [options.imageSize, options.imageSize, 3] });

  let x = input;
  BACKBONE.forEach(([filters, kernel, padding], i) => {
    const block = `block${i + 1}`;
    x = f.conv(x, `${block}_conv`, filters, kernel, padding);
    x = f.batchNorm(x, `${block}_bn`);
    x = f.relu(x, `${block}_relu`);
    x = f.maxPool(x, `${block}_pool`, 2, padding);
  });

  // Position head: one more conv on the shared map, then a small regressor.
  let p = f.conv(x, 'position_conv', ...MTL_SEED_POSITION_CONV, 'same', 'relu');
  p = f.maxPool(p, 'position_pool', 2, 'same');
  p = f.flatten(p, 'position_flatten');
  p = f.dense(p, 'position_hidden', 100, 'relu', true);
  const position = f.dense(p, 'position', 2, 'linear', false);

  const shared = f.flatten(x, 'shared_flatten');
  const classifier = (head: 'shape' | 'colour', rate: number, classes: number) => {
    let h = f.dropout(shared, `${head}_dropout`, f.dropoutRate(head, rate));
    h = f.dense(h, `${head}_hidden`, 4, 'relu', true);
    return f.dense(h, head, classes, 'softmax', false);
  };
  const shape = classifier('shape', 0.5, 3);
  const colour = classifier('colour', 0.7, 6);

  return tf.model({ name: 'mtl-seed', inputs: input, outputs: [position, shape, colour] });
}
