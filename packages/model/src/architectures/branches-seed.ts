import * as tf from '@tensorflow/tfjs-layers';
import type { ArchitectureOptions } from './architecture-options.js';
import { LayerFactory } from './layer-factory.js';
import { type Block, BRANCHES_SEED } from './layouts.js';

type SymbolicTensor = tf.SymbolicTensor;
function branch(
  f: LayerFactory,
  input: SymbolicTensor,
  name: string,
  blocks: readonly Block[],
): SymbolicTensor {
  let x = input;
  blocks.forEach(([filters, kernel, padding, pool, batchNorm], i) => {
    const block = `${name}_block${i + 1}`;
    x = f.conv(x, `${block}_conv`, filters, kernel, padding, 'relu');
    if (batchNorm) x = f.batchNorm(x, `${block}_bn`);
    x = f.maxPool(x, `${block}_pool`, pool, padding);
  });
  return f.flatten(x, `${name}_flatten`);
}

/**
 * The study's baseline without sharing (231,995 parameters at 128×128): a separate conv branch per
 * head. Input shape: [batch, S, S, 3] in [0, 1]. Outputs: `position` [batch, 2] (÷ S), `shape`
 * [batch, 3] softmax, `colour` [batch, 6] softmax. The study gave this baseline no dropout, so the
 * `dropout` option only adds some when set as `{ shape, colour }`.
 */
export function buildBranchesSeed(options: ArchitectureOptions): tf.LayersModel {
  const f = new LayerFactory('branches-seed', options);
  const input = tf.input({ name: 'image', shape: [options.imageSize, options.imageSize, 3] });

  let p = branch(f, input, 'position', BRANCHES_SEED.position);
  p = f.dense(p, 'position_hidden1', 100, 'relu', true);
  p = f.dense(p, 'position_hidden2', 100, 'relu', true);
  const position = f.dense(p, 'position', 2, 'linear', false);

  let s = branch(f, input, 'shape', BRANCHES_SEED.shape);
  s = f.dropout(s, 'shape_dropout', f.dropoutRate('shape', 0));
  s = f.dense(s, 'shape_hidden', 100, 'relu', true);
  const shape = f.dense(s, 'shape', 3, 'softmax', false);

  let c = branch(f, input, 'colour', BRANCHES_SEED.colour);
  c = f.dropout(c, 'colour_dropout', f.dropoutRate('colour', 0));
  c = f.dense(c, 'colour_hidden', 32, 'relu', true);
  const colour = f.dense(c, 'colour', 6, 'softmax', false);

  return tf.model({ name: 'branches-seed', inputs: input, outputs: [position, shape, colour] });
}
