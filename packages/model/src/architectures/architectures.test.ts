import '@tensorflow/tfjs-backend-cpu';
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { ARCHITECTURE_NAMES, SINGLE_TASK_ARCHITECTURE_NAMES } from './architecture-names.js';
import { buildModel, countParams } from './architectures.js';
import { ArchitectureSizeError, UnknownArchitectureError } from './errors.js';
import { MTL_SEED_BACKBONE, MTL_SEED_POSITION_CONV, minImageSize } from './layouts.js';

beforeAll(async () => {
  await tfc.setBackend('cpu');
});

function dropoutRates(model: tfl.LayersModel): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') rates[layer.name] = (layer.getConfig() as { rate: number }).rate;
  }
  return rates;
}

describe('the study architectures', () => {
  test.each([
    ['mtl-seed', 191_747],
    ['branches-seed', 231_995],
  ])('%s has exactly %i parameters at 128×128', (arch, params) => {
    expect(countParams(buildModel(arch, { imageSize: 128 }))).toBe(params);
  });

  test.each(ARCHITECTURE_NAMES)(
    '%s maps [batch, S, S, 3] to position [b, 2], shape [b, 3], colour [b, 6]',
    (arch) => {
      const model = buildModel(arch, { seed: 3 });
      expect(model.inputs[0]?.shape).toEqual([null, 128, 128, 3]);
      expect(model.outputNames).toEqual(['position', 'shape', 'colour']);
      const out = tfc.tidy(() => {
        const [position, shape, colour] = model.predict(
          tfc.randomUniform([2, 128, 128, 3], 0, 1, 'float32', 1),
        ) as tfc.Tensor[];
        return {
          shapes: [position?.shape, shape?.shape, colour?.shape],
          sums: [shape, colour].map((probs) => (probs ? (tfc.sum(probs, -1).arraySync() as number[]) : [])),
        };
      });
      expect(out.shapes).toEqual([
        [2, 2],
        [2, 3],
        [2, 6],
      ]);
      for (const sums of out.sums) for (const s of sums) expect(s).toBeCloseTo(1, 5);
    },
  );

  test('mtl-seed uses the study dropout rates 0.5 (shape) and 0.7 (colour)', () => {
    expect(dropoutRates(buildModel('mtl-seed'))).toEqual({ shape_dropout: 0.5, colour_dropout: 0.7 });
  });
});

describe('the single-task baselines', () => {
  // Parameters from the layer shapes at 128×128: conv k·k·in·out + out, batch norm 4 per channel
  // (γ, β and the two moving statistics), dense in·out + out.
  const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
  const dense = (units: number, inputs: number) => inputs * units + units;
  let channels = 3;
  let side = 128;
  let backbone = 0;
  for (const [filters, kernel, padding] of MTL_SEED_BACKBONE) {
    backbone += conv(kernel, channels, filters) + 4 * filters;
    if (padding === 'valid') side = Math.floor((side - kernel + 1) / 2);
    else side = Math.ceil(side / 2);
    channels = filters;
  }
  const [positionFilters, positionKernel] = MTL_SEED_POSITION_CONV;
  const positionSide = Math.ceil(side / 2);
  const shared = side * side * channels;
  const heads = {
    position:
      conv(positionKernel, channels, positionFilters) +
      dense(100, positionSide * positionSide * positionFilters) +
      dense(2, 100),
    shape: dense(4, shared) + dense(3, 4),
    colour: dense(4, shared) + dense(6, 4),
  };

  test.each([
    ['stl-position', 'position', [2]],
    ['stl-shape', 'shape', [3]],
    ['stl-colour', 'colour', [6]],
  ] as const)(
    '%s is the backbone and the %s head only, with the parameters its layer shapes give',
    (arch, head, units) => {
      const model = buildModel(arch, { seed: 1 });
      expect(model.outputNames).toEqual([head]);
      expect(model.outputs.map((o) => o.shape.slice(1))).toEqual([units]);
      expect(countParams(model)).toBe(backbone + heads[head]);
      const others = Object.keys(heads).filter((h) => h !== head);
      for (const layer of model.layers)
        for (const other of others) expect(layer.name.startsWith(other)).toBe(false);
    },
  );

  test('the three baselines hold mtl-seed plus two more backbones, and start from its backbone weights', () => {
    const total = SINGLE_TASK_ARCHITECTURE_NAMES.reduce(
      (sum, arch) => sum + countParams(buildModel(arch)),
      0,
    );
    expect(total).toBe(countParams(buildModel('mtl-seed')) + 2 * backbone);
    const kernel = (arch: string) =>
      Array.from(buildModel(arch, { seed: 5 }).getLayer('block6_conv').getWeights()[0]!.dataSync());
    expect(kernel('stl-colour')).toEqual(kernel('mtl-seed'));
  });

  test('a baseline takes the width multiplier and dropout options as mtl-seed does', () => {
    const half = buildModel('stl-shape', { widthMultiplier: 0.5, dropout: 0 });
    expect(half.getLayer('block1_conv').outputShape).toEqual([null, 119, 119, 16]);
    expect(dropoutRates(half)).toEqual({});
    expect(dropoutRates(buildModel('stl-colour'))).toEqual({ colour_dropout: 0.7 });
  });
});

describe('seeded initialisation', () => {
  test.each(ARCHITECTURE_NAMES)(
    '%s: the same seed gives identical weights, another seed other weights',
    (arch) => {
      const values = (seed: number) =>
        buildModel(arch, { seed })
          .getWeights()
          .map((w) => Array.from(w.dataSync()));
      const a = values(7);
      expect(values(7)).toEqual(a);
      expect(values(8)[0]).not.toEqual(a[0]);
      // Layers of one model do not share a seed: two same-shaped kernels differ.
      expect(a[0]).not.toEqual(a[2]);
    },
  );
});

describe('variants', () => {
  test('the width multiplier scales convolutions and hidden layers but keeps the outputs', () => {
    const half = buildModel('mtl-seed', { widthMultiplier: 0.5 });
    expect(half.getLayer('block1_conv').outputShape).toEqual([null, 119, 119, 16]);
    expect(half.getLayer('position_hidden').outputShape).toEqual([null, 50]);
    // The classifiers' bottleneck stays at the study's 4 units: at 2, colour stalled at 60–70 %.
    expect(half.getLayer('shape_hidden').outputShape).toEqual([null, 4]);
    expect(half.getLayer('colour_hidden').outputShape).toEqual([null, 4]);
    expect(half.outputs.map((o) => o.shape)).toEqual([
      [null, 2],
      [null, 3],
      [null, 6],
    ]);
    expect(countParams(half)).toBeLessThan(191_747 / 3);
    expect(countParams(buildModel('mtl-seed', { widthMultiplier: 2 }))).toBeGreaterThan(191_747 * 3);
  });

  test('the input size changes the input and the spatial sizes', () => {
    const model = buildModel('mtl-seed', { imageSize: 96 });
    expect(model.inputs[0]?.shape).toEqual([null, 96, 96, 3]);
    expect(model.getLayer('block1_conv').outputShape).toEqual([null, 87, 87, 32]);
    // Every layer after the backbone has a fixed size, so only spatial outputs change.
    expect(countParams(model)).toBe(191_747);
  });

  test('dropout: a number scales the study rates, an object sets them, 0 removes the layers', () => {
    expect(dropoutRates(buildModel('mtl-seed', { dropout: 0.5 }))).toEqual({
      shape_dropout: 0.25,
      colour_dropout: 0.35,
    });
    expect(dropoutRates(buildModel('mtl-seed', { dropout: { shape: 0.1, colour: 0.2 } }))).toEqual({
      shape_dropout: 0.1,
      colour_dropout: 0.2,
    });
    expect(dropoutRates(buildModel('mtl-seed', { dropout: 0 }))).toEqual({});
    expect(dropoutRates(buildModel('branches-seed'))).toEqual({});
  });

  test('an image too small for the architecture names the layer that vanishes', () => {
    expect(() => buildModel('mtl-seed', { imageSize: 64 })).toThrow(ArchitectureSizeError);
    expect(() => buildModel('mtl-seed', { imageSize: 64 })).toThrow(/block\d_(conv|pool).*imageSize 64/);
  });

  test('minImageSize (TF-free, from the layouts) is the smallest size TF.js builds: mtl-seed 93, branches-seed 105', () => {
    expect(minImageSize('mtl-seed')).toBe(93);
    expect(minImageSize('branches-seed')).toBe(105);
    // The baselines' layouts are mtl-seed's (stl-shape, stl-colour: its backbone alone).
    expect(SINGLE_TASK_ARCHITECTURE_NAMES.map(minImageSize)).toEqual([93, 93, 93]);
    for (const arch of [...ARCHITECTURE_NAMES, ...SINGLE_TASK_ARCHITECTURE_NAMES]) {
      const min = minImageSize(arch);
      expect(() => buildModel(arch, { imageSize: min, widthMultiplier: 0.25 })).not.toThrow();
      expect(() => buildModel(arch, { imageSize: min - 1, widthMultiplier: 0.25 })).toThrow(
        ArchitectureSizeError,
      );
    }
  });

  test('bad names and options are rejected', () => {
    expect(() => buildModel('resnet')).toThrow(UnknownArchitectureError);
    expect(() => buildModel('mtl-seed', { widthMultiplier: 0 })).toThrow(/widthMultiplier/);
    expect(() => buildModel('mtl-seed', { dropout: { shape: 1, colour: 0 } })).toThrow(/dropout/);
  });
});
