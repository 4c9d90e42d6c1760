import { describe, expect, it } from 'vitest';
import type { ParameterSpace } from './parameter-space.js';
import { configOf, pointOf } from './trial-config.js';

const space: ParameterSpace = [
  { name: 'arch', distribution: { kind: 'choice', values: ['mtl-seed', 'branches-seed'] } },
  { name: 'learningRate', distribution: { kind: 'log-uniform', min: 1e-4, max: 1e-2 } },
  { name: 'lossWeights.position', distribution: { kind: 'choice', values: [1, 2] } },
  { name: 'lossWeights.shape', distribution: { kind: 'constant', value: 0.5 } },
  { name: 'fineTune', distribution: { kind: 'choice', values: [false, true, { epochs: 5 }] } },
];

describe('configOf / pointOf', () => {
  it('nests dotted names and maps the fine-tuning switch', () => {
    const point = {
      arch: 'mtl-seed',
      learningRate: 0.002,
      'lossWeights.position': 2,
      'lossWeights.shape': 0.5,
    };
    expect(configOf({ ...point, fineTune: false })).toEqual({
      arch: 'mtl-seed',
      learningRate: 0.002,
      lossWeights: { position: 2, shape: 0.5 },
    });
    expect(configOf({ ...point, fineTune: true }).fineTune).toEqual({});
    expect(configOf({ ...point, fineTune: { epochs: 5 } }).fineTune).toEqual({ epochs: 5 });
  });

  it('pointOf inverts configOf', () => {
    for (const fineTune of [false, true, { epochs: 5 }]) {
      const point = {
        arch: 'branches-seed',
        learningRate: 0.0007,
        'lossWeights.position': 1,
        'lossWeights.shape': 0.5,
        fineTune,
      };
      expect(pointOf(space, configOf(point))).toEqual(point);
    }
  });
});
