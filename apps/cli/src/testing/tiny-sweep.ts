/**
 * The smallest sweep real workers run end to end: two one-epoch trials of a quarter-width mtl-seed
 * on 96×96 images (the smallest mtl-seed takes); it shows the machinery, not accuracy.
 */
export function tinySweepSpec(name: string): string {
  return `name: ${name}
dataset: { imageSize: 96, samples: 80, test: 32, seed: 3, shardSize: 40 }
search: grid
parameters:
  arch: mtl-seed
  widthMultiplier: 0.25
  batchSize: 16
  epochs: 1
  learningRate: { values: [0.001, 0.003] }
`;
}
