import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { datasetSpecSchema } from './dataset-spec.js';
import { generateSplit } from './generate-split.js';
import { renderPreview } from './preview-grid.js';

const split = generateSplit(datasetSpecSchema.parse({ samples: 12, valFraction: 0, seed: 3 }), 'train');

describe('renderPreview', () => {
  it('lays the samples out in a grid of scaled images with captions', () => {
    const png = PNG.sync.read(renderPreview(split, { count: 7, columns: 4, scale: 2 }));
    // 4 columns of 256 px + padding; 2 rows of image + caption.
    expect(png.width).toBe(8 + 4 * (256 + 8));
    expect(png.height).toBe(8 + 2 * (256 + 8 + 40 + 8));
  });

  it('copies the image, marks the labelled point and writes the caption', () => {
    const png = PNG.sync.read(renderPreview(split, { count: 1, scale: 1 }));
    const rgb = (x: number, y: number) =>
      Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    expect(rgb(8, 8)).toEqual(Array.from(split.images.subarray(0, 3)));
    const [x, y] = [split.positions[0]!, split.positions[1]!];
    expect(rgb(8 + x, 8 + y)).toEqual([0, 0, 0]);
    const caption = Array.from({ length: 100 * 20 }, (_, i) =>
      rgb(8 + (i % 100), 8 + 128 + 4 + Math.floor(i / 100)),
    );
    expect(caption.filter(([r, g, b]) => r === 0 && g === 0 && b === 0).length).toBeGreaterThan(50);
  });

  it('refuses an empty split', () => {
    expect(() => renderPreview({ ...split, count: 0 })).toThrow(/empty/);
  });
});
