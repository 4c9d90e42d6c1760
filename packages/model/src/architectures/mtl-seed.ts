import * as tf from '@tensorflow/tfjs-layers';
import type { HeadName } from '../heads.js';
import type { ArchitectureOptions } from './architecture-options.js';
import { LayerFactory } from './layer-factory.js';
import { MTL_SEED_BACKBONE as BACKBONE, MTL_SEED_POSITION_CONV } from './layouts.js';

/**
 * The study's hard-parameter-sharing network (191,747 parameters at 128×128): one backbone, three
 * small heads. Input shape: [batch, S, S, 3] in [0, 1]. Outputs: `position` [batch, 2] (÷ S),
 * `shape` [batch, 3] softmax, `colour` [batch, 6] softmax.
 */
export function buildMtlSeed(options: ArchitectureOptions): tf.LayersModel {
  return buildBackboneWithHeads('mtl-seed', options, ['position', 'shape', 'colour']);
}

/**
 * A single-task baseline: mtl-seed's backbone and `head`'s layers only, with mtl-seed's layer names,
 * so its one output is that head's (`position` [batch, 2], or `shape` / `colour` softmax).
 */
export function buildSingleTask(name: string, head: HeadName, options: ArchitectureOptions): tf.LayersModel {
  return buildBackboneWithHeads(name, options, [head]);
}

/**
 * Heads are built in `HEAD_NAMES` order after the backbone, so for one seed every architecture built
 * here starts from the same backbone weights.
 */
function buildBackboneWithHeads(
  name: string,
  options: ArchitectureOptions,
  heads: readonly HeadName[],
): tf.LayersModel {
  const f = new LayerFactory(name, options);
  const input = tf.input({ name: 'image', shape: [options.imageSize, options.imageSize, 3] });

  let x = input;
  BACKBONE.forEach(([filters, kernel, padding], i) => {
    const block = `block${i + 1}`;
    x = f.conv(x, `${block}_conv`, filters, kernel, padding);
    x = f.batchNorm(x, `${block}_bn`);
    x = f.relu(x, `${block}_relu`);
    x = f.maxPool(x, `${block}_pool`, 2, padding);
  });

  const outputs: tf.SymbolicTensor[] = [];
  if (heads.includes('position')) {
    // Position head: one more conv on the shared map, then a small regressor.
    let p = f.conv(x, 'position_conv', ...MTL_SEED_POSITION_CONV, 'same', 'relu');
    p = f.maxPool(p, 'position_pool', 2, 'same');
    p = f.flatten(p, 'position_flatten');
    p = f.dense(p, 'position_hidden', 100, 'relu', true);
    outputs.push(f.dense(p, 'position', 2, 'linear', false));
  }
  const classifiers = [
    ['shape', 0.5, 3],
    ['colour', 0.7, 6],
  ] as const;
  if (classifiers.some(([head]) => heads.includes(head))) {
    const shared = f.flatten(x, 'shared_flatten');
    for (const [head, rate, classes] of classifiers) {
      if (!heads.includes(head)) continue;
      let h = f.dropout(shared, `${head}_dropout`, f.dropoutRate(head, rate));
      // The study's 4-unit bottleneck is sized for the classes, not the width: scaled to 2 (width 0.5),
      // a ReLU layer that narrow cannot keep 6 colours apart (colour stalled at 60–70 %).
      h = f.dense(h, `${head}_hidden`, 4, 'relu', false);
      outputs.push(f.dense(h, head, classes, 'softmax', false));
    }
  }

  return tf.model({ name, inputs: input, outputs });
}
