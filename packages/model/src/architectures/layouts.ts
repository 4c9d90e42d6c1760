import type { ModelName } from './architecture-names.js';

// The architectures' convolution and pooling layouts, TF-free: the builders (mtl-seed.ts,
// branches-seed.ts) lay their layers out from these, and `minImageSize` derives from the same lists
// the smallest image every layer still has a pixel of, so a sweep can be refused before training.

export type Padding = 'valid' | 'same';

/** mtl-seed's shared backbone: [filters, kernel, padding] per conv→batchnorm→relu→maxpool(2) block. */
export const MTL_SEED_BACKBONE: readonly (readonly [number, number, Padding])[] = [
  [32, 10, 'valid'],
  [64, 3, 'valid'],
  [64, 3, 'valid'],
  [128, 2, 'valid'],
  [32, 3, 'valid'],
  [64, 3, 'same'],
];
/** mtl-seed's position head on the shared map: conv [filters, kernel], then maxpool(2), both `same`. */
export const MTL_SEED_POSITION_CONV = [32, 4] as const;

/** [filters, kernel, padding, pool size, batch-norm?] per relu conv → (batchnorm) → maxpool block. */
export type Block = readonly [number, number, Padding, number, boolean];

/** branches-seed's three separate branches. */
export const BRANCHES_SEED: { readonly [head in 'position' | 'shape' | 'colour']: readonly Block[] } = {
  position: [
    [32, 10, 'valid', 2, false],
    [64, 3, 'valid', 2, false],
    [64, 3, 'valid', 2, false],
    [128, 2, 'valid', 2, false],
    [32, 3, 'valid', 2, false],
    [32, 3, 'same', 2, false],
  ],
  shape: [
    [32, 10, 'valid', 4, true],
    [32, 5, 'valid', 4, true],
    [32, 2, 'valid', 4, true],
  ],
  colour: [
    [24, 3, 'valid', 2, true],
    [32, 3, 'valid', 3, true],
    [32, 3, 'valid', 3, true],
    [32, 2, 'same', 2, true],
  ],
};

/** A square map's side after each layer (stride-1 conv, then pool = stride), as TF.js computes it. */
type Layer = { kind: 'conv' | 'pool'; size: number; padding: Padding };

function sides(input: number, layers: readonly Layer[]): number[] {
  const out: number[] = [];
  let side = input;
  for (const { kind, size, padding } of layers) {
    if (kind === 'conv') side = padding === 'same' ? side : side - size + 1;
    else side = padding === 'same' ? Math.ceil(side / size) : Math.floor(side / size);
    out.push(side);
  }
  return out;
}

const blockLayers = (blocks: readonly (readonly [number, number, Padding, number?, boolean?])[]): Layer[] =>
  blocks.flatMap(([, kernel, padding, pool = 2]) => [
    { kind: 'conv', size: kernel, padding },
    { kind: 'pool', size: pool, padding },
  ]);

/** mtl-seed's backbone, then its position head's conv and pool (the classifiers are dense layers). */
const MTL_SEED_POSITION_PATH: Layer[] = [
  ...blockLayers(MTL_SEED_BACKBONE),
  { kind: 'conv', size: MTL_SEED_POSITION_CONV[1], padding: 'same' },
  { kind: 'pool', size: 2, padding: 'same' },
];

/** Every path from the input to an output, as its layers. */
const PATHS: Record<ModelName, Layer[][]> = {
  'mtl-seed': [MTL_SEED_POSITION_PATH],
  'branches-seed': Object.values(BRANCHES_SEED).map(blockLayers),
  // The baselines are mtl-seed with one head: the position one keeps its conv, the others the backbone.
  'stl-position': [MTL_SEED_POSITION_PATH],
  'stl-shape': [blockLayers(MTL_SEED_BACKBONE)],
  'stl-colour': [blockLayers(MTL_SEED_BACKBONE)],
};

/** Whether every layer of `architecture` keeps at least one pixel at this input size. */
export function fitsImageSize(architecture: ModelName, imageSize: number): boolean {
  return PATHS[architecture].every((path) => sides(imageSize, path).every((side) => side >= 1));
}

/** The smallest square input (px) `architecture` can take: mtl-seed 93, branches-seed 105. */
export function minImageSize(architecture: ModelName): number {
  // A layer's output only grows with its input, so the first size that fits is the minimum.
  let size = 1;
  while (!fitsImageSize(architecture, size)) size++;
  return size;
}
