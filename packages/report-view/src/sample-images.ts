import type { SplitData } from '@repo/dataset';
import { PNG } from 'pngjs';
import type { SampleImage } from './sweep-view.js';

/** Samples of a split as PNG data URLs (Shape of each: [H, W, 3] uint8 → RGBA PNG). */
export function sampleImages(split: SplitData, indices: readonly number[]): SampleImage[] {
  const size = split.imageSize;
  const pixels = size * size;
  return indices
    .filter((index) => index < split.count)
    .map((index) => {
      const png = new PNG({ width: size, height: size });
      const offset = index * pixels * 3;
      for (let p = 0; p < pixels; p++) {
        png.data[4 * p] = split.images[offset + 3 * p]!;
        png.data[4 * p + 1] = split.images[offset + 3 * p + 1]!;
        png.data[4 * p + 2] = split.images[offset + 3 * p + 2]!;
        png.data[4 * p + 3] = 255;
      }
      return { index, src: `data:image/png;base64,${PNG.sync.write(png).toString('base64')}` };
    });
}
