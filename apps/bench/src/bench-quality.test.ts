import { describe, expect, it } from 'vitest';
import { type QualityRun, qualityLines } from './bench-quality.js';

const run = (threads: number, seed: number, maePx: number, shape: number, colour: number): QualityRun => ({
  threads,
  seed,
  maePx,
  shape,
  colour,
  minutes: 1,
});

describe('mtl-bench quality', () => {
  it('prints each thread count over its seeds, then the gap between counts beside the seed noise', () => {
    const runs = [
      run(1, 1, 5, 0.9, 0.8),
      run(2, 1, 5, 0.9, 0.8),
      run(1, 2, 7, 0.8, 0.9),
      run(2, 2, 6, 0.85, 0.9),
    ];
    expect(qualityLines(runs)).toEqual([
      '  1 thread(s): position MAE 6.00 ± 1.41 px (5.00, 7.00); shape 85.00 ± 7.07 % (90.0, 80.0); ' +
        'colour 85.00 ± 7.07 % (80.0, 90.0)',
      '  2 thread(s): position MAE 5.50 ± 0.71 px (5.00, 6.00); shape 87.50 ± 3.54 % (90.0, 85.0); ' +
        'colour 85.00 ± 7.07 % (80.0, 90.0)',
      '2 − 1 thread(s): position MAE -0.50 px (seed std 1.41 px); shape +2.50 % (seed std 7.07 %); ' +
        'colour +0.00 % (seed std 7.07 %)',
    ]);
  });
});
